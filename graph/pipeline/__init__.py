"""The build, one pipeline: a corpus folder in; Turtle, TriG, the map and the index out.

The stages, in the order they run (:mod:`~graph.pipeline.run`):

- :mod:`~graph.pipeline.load`: the corpus read and checked, or only the documents that
  changed since the last build;
- :mod:`~graph.pipeline.emit`: their named graphs, as TriG blocks (kept from the cache where
  their inputs are the same), into a store;
- :mod:`~graph.pipeline.validate`: those graphs against the shapes;
- :mod:`~graph.pipeline.write`: the Turtle and TriG files, written or spliced;
- :mod:`~graph.pipeline.draw`: the map, drawn or brought up to date;
- :mod:`~graph.pipeline.index`: what the next build and the commands start from, the build's
  index and its store on disk (:mod:`graph.store`), kept in step.

A rebuild is the same stages run on the documents that changed. The stages do not call
each other: :mod:`~graph.pipeline.run` hands each what the one before gave, and the index
says, at any stage, why a rebuild is left to the whole build (``Declined``). Below them,
:mod:`graph.plumbing` holds what they run on: a worker process, staged files, the build
cache, blocks spliced into files. Nothing here is imported until a build runs.
"""
