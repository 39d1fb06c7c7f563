"""Developer scripts (fixture generator, …); not part of the shipped application."""
