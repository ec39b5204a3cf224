"""What the build's stages run on: a forked worker (:mod:`.parallel`), files staged and put
in place together (:mod:`.staging`), what the last build made (:mod:`.cache`), and files of
blocks written and spliced (:mod:`.splice`). None of it knows a corpus's meaning."""
