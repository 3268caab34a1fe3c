# The orders area of the window.
