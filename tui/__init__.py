"""The Textual app and the `newsreader` command line. The only package that imports textual."""
