"""Knowledge festivals: call for proposals, review, programme, the day itself."""
