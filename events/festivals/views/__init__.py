"""Festival pages, by what people do there."""
