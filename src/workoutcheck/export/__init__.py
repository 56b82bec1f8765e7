"""Files for other tools made from a resolved plan (a FIT workout the watch can run)."""
