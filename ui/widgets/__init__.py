"""The window's building blocks: the page view, the page list, the field and findings panels, banners."""
