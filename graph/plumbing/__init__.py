"""What the build's stages (:mod:`graph.pipeline`) run on: a forked worker (:mod:`.parallel`),
files staged and put in place together (:mod:`.staging`, which the commands write through
too), what the last build made (:mod:`.cache`, which the loader reads through), and files of
blocks written and spliced (:mod:`.splice`). None of it knows what a corpus means."""
