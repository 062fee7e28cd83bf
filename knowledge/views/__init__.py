"""Pages of "wie weet wat"."""
