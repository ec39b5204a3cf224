"""``query``, ``serve`` and ``push``: ask questions of a graph, serve it, send it to a server."""

from __future__ import annotations

from pathlib import Path

import click

from ..defaults import DEFAULT_CORPUS, DEFAULT_GRAPH_PARAM, DEFAULT_HOST, DEFAULT_PORT, Limits
from ..errors import InputError
from ..questions import ENGINES, GRAPH_FORMATS, RESULT_FORMATS, canned_queries
from .app import main

corpus_option = click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus folder to use: its last build, brought up to date [default: the SB 1047 corpus].",
)
data_option = click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="An RDF file to use instead of a corpus (.ttl, .trig, .nt, .nq, .jsonld, .rdf).",
)


def _data(corpus: Path | None, data: Path | None):  # noqa: ANN202
    """The graph to use (a :class:`graph.store.Opened`: the store, a title, prefixes that
    shorten its IRIs in tables), opened from its store on disk: an RDF file's, made once per
    change of the file; a corpus's last build, brought up to date first."""
    from ..store import corpus_store, file_store

    if corpus is not None and data is not None:
        raise click.UsageError("give --corpus or --data, not both")
    if data is not None:
        return file_store(data)
    return corpus_store(corpus or DEFAULT_CORPUS)


def _list_questions() -> str:
    lines = []
    for q in canned_queries().values():
        params = " ".join(f"[--param {p.name}=...]" for p in q.parameters)
        lines.append(f"{q.name}  {params}".rstrip())
        lines.append(f"    {q.question}")
    return "\n".join(lines)


OUTPUT_FORMATS = ["table", *RESULT_FORMATS, *GRAPH_FORMATS]


@main.command()
@click.argument("question", required=False)
@click.option("--list", "list_questions", is_flag=True, help="List the canned questions.")
@corpus_option
@data_option
@click.option(
    "--endpoint",
    metavar="URL",
    help="Ask a SPARQL endpoint instead (e.g. http://127.0.0.1:7878/query).",
)
@click.option(
    "--default-graph",
    "default_graphs",
    multiple=True,
    metavar="IRI",
    help="With --endpoint: a graph to query as the default graph (repeatable).",
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Fix a parameter of the question, e.g. --param section=22603 (repeatable).",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(OUTPUT_FORMATS),
    default="table",
    show_default=True,
    help="table for people; csv, tsv, json, xml (SPARQL results) or turtle, ntriples, "
    "jsonld, rdfxml (CONSTRUCT and DESCRIBE) for programs.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="oxigraph",
    show_default=True,
    help="SPARQL engine for local data.",
)
def query(
    question: str | None,
    list_questions: bool,
    corpus: Path | None,
    data: Path | None,
    endpoint: str | None,
    default_graphs: tuple[str, ...],
    params: tuple[str, ...],
    fmt: str,
    engine: str,
) -> None:
    """Ask QUESTION of the graph: a canned question's name, a .rq file, or SPARQL text.

    Runs on the graph built from a corpus (default: SB 1047), on an RDF file (--data), or
    on a remote SPARQL endpoint (--endpoint). Our prefixes (bg:, eli:, dcterms:, ...) are
    declared for every query. `query --list` shows the canned questions and their
    parameters.
    """
    if list_questions:
        # Only the comments of the .rq files: no SPARQL engine is imported to list them.
        click.echo(_list_questions())
        return
    if question is None:
        raise click.UsageError("name a question (see `query --list`), a .rq file or SPARQL text")
    from ..query import EndpointError, ResultTooLarge, SparqlEndpoint, parse_param_options, prepare
    from ..query import query as run_query

    bindings = parse_param_options(params)
    prepare(question, bindings)  # a mistake in the question is reported before data loads
    prefixes: dict[str, str] = {}
    if endpoint is not None:
        if corpus is not None or data is not None:
            raise click.UsageError("give --endpoint, or --corpus or --data, not both")
        source = SparqlEndpoint(endpoint, default_graphs=default_graphs)
    else:
        opened = _data(corpus, data)
        source, prefixes = opened.store, opened.prefixes
    try:
        result = run_query(source, question, bindings, engine=engine)
    except (EndpointError, ResultTooLarge) as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "table":
        click.echo(result.to_table(prefixes))
        return
    if result.is_graph and fmt in RESULT_FORMATS:
        raise click.UsageError(
            f"a {result.form} query gives a graph: use --format {'|'.join(GRAPH_FORMATS)}"
        )
    if not result.is_graph and fmt in GRAPH_FORMATS:
        raise click.UsageError(
            f"a {result.form} query gives a table: use --format {'|'.join(RESULT_FORMATS)}"
        )
    click.echo(result.serialize(fmt), nl=False)


@main.command()
@corpus_option
@data_option
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on; 0.0.0.0 opens it to the network.",
)
@click.option("--port", default=DEFAULT_PORT, show_default=True, help="Port (0: any free port).")
@click.option(
    "--timeout",
    default=Limits.timeout,
    show_default=True,
    help="Seconds a query may run before it is stopped.",
)
@click.option(
    "--max-rows",
    default=Limits.max_rows,
    show_default=True,
    help="Most rows (or triples) a result may have.",
)
@click.option(
    "--workers", default=2, show_default=True, help="Queries that can run at the same time."
)
@click.option(
    "--max-connections",
    default=Limits.max_connections,
    show_default=True,
    help="Connections open at once; the next is answered 503.",
)
@click.option(
    "--request-timeout",
    default=Limits.request_seconds,
    show_default=True,
    help="Seconds a client has to send its whole request.",
)
@click.option(
    "--max-query-memory",
    default=Limits.max_query_memory // 1_000_000,
    show_default=True,
    metavar="MB",
    help="Memory a query may use beyond the graph (0: no limit).",
)
@click.option("--quiet", is_flag=True, help="Do not log each request.")
def serve(
    corpus: Path | None,
    data: Path | None,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    workers: int,
    max_connections: int,
    request_timeout: float,
    max_query_memory: int,
    quiet: bool,
) -> None:
    """Serve the graph as a read-only SPARQL endpoint (default: http://127.0.0.1:8765/sparql).

    SPARQL 1.1 Protocol: GET and POST, results as JSON, XML, CSV or TSV, graphs as Turtle,
    N-Triples or JSON-LD; open the URL in a browser for a query page. Updates, SERVICE, and
    FROM or GRAPH naming a graph it does not hold are refused. Stop it with Ctrl-C.
    """
    from ..serve import serve as serve_graph

    opened = _data(corpus, data)
    title = opened.title
    limits = Limits(
        timeout=timeout,
        max_rows=max_rows,
        max_connections=max_connections,
        request_seconds=request_timeout,
        max_query_memory=max_query_memory * 1_000_000 or None,
    )

    def ready(server) -> None:  # noqa: ANN001
        click.echo(f"Serving {title!r} at {server.url} (read-only); Ctrl-C stops it.")

    serve_graph(
        opened.store,
        title=title,
        folder=opened.folder,
        host=host,
        port=port,
        limits=limits,
        workers=workers,
        ready=ready,
        quiet=quiet,
    )


@main.command()
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store.",
)
@corpus_option
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A TriG or N-Quads file to push instead of a corpus (needs --manifest).",
)
@click.option(
    "--manifest",
    metavar="IRI",
    help="The graph that records what was pushed [default: <base>graph/push-manifest].",
)
@click.option(
    "--graph-param",
    default=DEFAULT_GRAPH_PARAM,
    show_default=True,
    help="Name of the URL parameter that names a graph (Virtuoso: graph-uri).",
)
@click.option("--user", help="User name, for a server that asks for one (Basic or Digest).")
@click.option(
    "--password",
    envvar="BILL_GRAPH_PASSWORD",
    help="Password for --user [env: BILL_GRAPH_PASSWORD].",
)
def push(
    endpoint: str,
    corpus: Path | None,
    data: Path | None,
    manifest: str | None,
    graph_param: str,
    user: str | None,
    password: str | None,
) -> None:
    """Send the graph to a SPARQL 1.1 Graph Store Protocol server, one named graph per
    source document, replacing what the last push of the same corpus put there."""
    from ..emit import emit_graph
    from ..load import load_corpus
    from ..push import PushError, manifest_iri
    from ..push import push as push_graph
    from ..query import load_store

    if corpus is not None and data is not None:
        raise click.UsageError("give --corpus or --data, not both")
    if data is not None:
        if manifest is None:
            raise InputError.single(
                data, 0, "pushing a file needs --manifest IRI: the graph that records the push"
            )
        dataset = load_store(data)
    else:
        c = load_corpus(corpus or DEFAULT_CORPUS)
        dataset = emit_graph(c)
        manifest = manifest or str(manifest_iri(c.base))
    try:
        report = push_graph(
            dataset,
            endpoint,
            manifest=manifest,
            graph_param=graph_param,
            user=user,
            password=password,
        )
    except PushError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.summary())
