"""__NAME__: a b+s Connects custom integration (the entry is ``__NAME__.main:main``)."""
