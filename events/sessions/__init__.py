"""Sessions, RSVPs, the waitlist and the pages around them."""
