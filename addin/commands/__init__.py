"""One module per ``csq`` command; ``addin.cli`` parses the arguments and calls them."""
