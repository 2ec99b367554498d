"""Fetching feeds politely: httpx, conditional GET, timeouts, a size cap, bounded concurrency.

``file://`` addresses and plain paths take the same route without HTTP. Every failure becomes
a one-line reason on the result; nothing here raises for a bad feed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import httpx

from reader import __version__
from reader.textutil import os_reason

CHECK_SECONDS = 0.1  # how often fetch_all asks whether to go on (the reader quitting)
USER_AGENT = f"newsreader/{__version__} (terminal news reader; feed fetcher)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """Limits for one refresh."""

    connect_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 16 * 1024 * 1024
    max_redirects: int = 5
    concurrency: int = 16
    per_host: int = 6


@dataclass(frozen=True, slots=True)
class FetchJob:
    """One address to fetch, with the validators of the last successful fetch."""

    key: int  # the subscription's id
    url: str
    etag: str | None = None
    last_modified: str | None = None
    accept: str | None = None  # another Accept header (web pages rather than feeds)


@dataclass(slots=True)
class Fetched:
    """What came back: a body, 'not modified', or an error."""

    job: FetchJob
    body: bytes | None = None
    not_modified: bool = False
    status: int | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None
    error: str | None = None


def local_path(url: str) -> str | None:
    """The file a ``file://`` address or plain path names, else None."""
    if url.startswith("file://"):
        return unquote(urlsplit(url).path)
    if "://" not in url:
        return url
    return None


def _read_file(job: FetchJob, path: str, settings: FetchSettings) -> Fetched:
    try:
        size = os.path.getsize(path)
        if size > settings.max_bytes:
            return Fetched(job, error=f"larger than the {_mib(settings.max_bytes)} limit")
        with open(path, "rb") as fh:
            return Fetched(job, body=fh.read(), final_url=job.url)
    except OSError as exc:
        return Fetched(job, error=os_reason(exc))


def _mib(n: int) -> str:
    return f"{n / 1048576:g} MiB"


_DNS = ("name or service not known", "nodename nor servname", "name resolution", "no address")


def _describe(exc: Exception, settings: FetchSettings, url: str = "") -> str:
    """A one-line reason for a transport failure, in plain words (the library's text after
    it only where it adds something)."""
    host = urlsplit(url).netloc or "the server"
    detail = " ".join(str(exc).split())
    lowered = detail.lower()
    if isinstance(exc, httpx.TooManyRedirects):
        return f"redirect loop or more than {settings.max_redirects} redirects"
    if isinstance(exc, httpx.ConnectTimeout):
        return f"no connection to {host} within {settings.connect_timeout:g} s"
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return f"timed out after {settings.total_timeout:g} s"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "not an http(s) or file address"
    if isinstance(exc, httpx.DecodingError):
        return "the compressed response is corrupt"
    if any(word in lowered for word in _DNS):
        return f"cannot find the host {urlsplit(url).hostname or host} (DNS lookup failed)"
    if "certificate" in lowered or "ssl" in lowered:
        return f"the secure connection to {host} failed (TLS: {detail[:80]})"
    if isinstance(exc, httpx.ConnectError) or "refused" in lowered:
        if "refused" in lowered or "all connection attempts failed" in lowered:
            return f"cannot connect to {host} (connection refused)"
        if "unreachable" in lowered:
            return f"cannot connect to {host} (network unreachable)"
        return f"cannot connect to {host}" + (f" ({detail[:80]})" if detail else "")
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return f"{host} closed the connection before sending the whole feed"
    if isinstance(exc, (httpx.InvalidURL, ValueError)):
        return f"not a valid address ({detail[:80]})" if detail else "not a valid address"
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


async def _get(client: httpx.AsyncClient, job: FetchJob, settings: FetchSettings) -> Fetched:
    headers = {}
    if job.accept:
        headers["Accept"] = job.accept
    if job.etag:
        headers["If-None-Match"] = job.etag
    if job.last_modified:
        headers["If-Modified-Since"] = job.last_modified
    async with client.stream("GET", job.url, headers=headers) as resp:
        result = Fetched(
            job,
            status=resp.status_code,
            content_type=resp.headers.get("content-type"),
            etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"),
            final_url=str(resp.url),
        )
        if resp.status_code == 304:
            result.not_modified = True
            result.etag = result.etag or job.etag
            result.last_modified = result.last_modified or job.last_modified
            return result
        if resp.status_code >= 400 or resp.status_code < 200:
            reason = resp.reason_phrase or ""
            hint = "; the feed is gone (remove it?)" if resp.status_code == 410 else ""
            result.error = f"HTTP {resp.status_code} {reason}".rstrip() + hint
            return result
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > settings.max_bytes:
            result.error = f"larger than the {_mib(settings.max_bytes)} limit ({declared} bytes)"
            return result
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.aiter_bytes():  # decompressed: the cap holds for gzip bombs too
            size += len(chunk)
            if size > settings.max_bytes:
                result.error = f"larger than the {_mib(settings.max_bytes)} limit"
                return result
            chunks.append(chunk)
        result.body = b"".join(chunks)
        return result


def client(settings: FetchSettings) -> httpx.AsyncClient:
    """An HTTP client with the project's limits and headers."""
    return httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        timeout=httpx.Timeout(settings.total_timeout, connect=settings.connect_timeout),
        limits=httpx.Limits(
            max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency
        ),
        headers={
            "User-Agent": USER_AGENT,
            "Accept": ACCEPT,
            "Accept-Encoding": "gzip, deflate",
        },
        trust_env=False,
    )


async def fetch_all(
    jobs: Sequence[FetchJob],
    on_result: Callable[[Fetched], Awaitable[None]],
    settings: FetchSettings | None = None,
    check: Callable[[], None] | None = None,
) -> None:
    """Fetch every job, at most ``concurrency`` at once and ``per_host`` per host.

    ``on_result`` is awaited for each result as it arrives (in no particular order), and
    counts in the ``concurrency``: a body is held from its fetch until ``on_result`` is done
    with it, so at most that many are in memory however fast the feeds arrive (a thousand
    local or nearby feeds fetched faster than they were parsed held 484 MiB of bodies).

    ``check`` is called every ``CHECK_SECONDS`` while fetches are under way; what it raises
    (the store closing) cancels every fetch at once, a server that never answers included,
    and is raised here.
    """
    fetching = asyncio.ensure_future(_fetch_all(jobs, on_result, settings))
    if check is None:
        await fetching
        return
    try:
        while not fetching.done():
            await asyncio.wait({fetching}, timeout=CHECK_SECONDS)
            check()
    except BaseException:
        fetching.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await fetching  # its own failure, if it had one, matters less than the stop
        raise
    fetching.result()


async def _fetch_all(
    jobs: Sequence[FetchJob],
    on_result: Callable[[Fetched], Awaitable[None]],
    settings: FetchSettings | None,
) -> None:
    settings = settings or FetchSettings()
    overall = asyncio.Semaphore(settings.concurrency)
    hosts: dict[str, asyncio.Semaphore] = {}

    async with client(settings) as http:

        async def one(job: FetchJob) -> None:
            async with overall:
                path = local_path(job.url)
                if path is not None:
                    result = await asyncio.to_thread(_read_file, job, path, settings)
                else:
                    host = urlsplit(job.url).netloc.lower()
                    per_host = hosts.setdefault(host, asyncio.Semaphore(settings.per_host))
                    async with per_host:
                        try:
                            async with asyncio.timeout(settings.total_timeout):
                                result = await _get(http, job, settings)
                        except (httpx.HTTPError, TimeoutError, OSError, ValueError) as exc:
                            result = Fetched(job, error=_describe(exc, settings, job.url))
                await on_result(result)

        await asyncio.gather(*(one(job) for job in jobs))
