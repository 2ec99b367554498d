"""Fetching feeds politely: httpx, conditional GET, timeouts, a size cap, bounded concurrency.

``file://`` addresses and plain paths take the same route without HTTP (regular files only,
read up to the cap). Every failure becomes a one-line reason on the result, cleaned of
control characters (servers' reason phrases and header values reach the terminal through
it); nothing here raises for a bad feed.

Bodies are decoded here, not by httpx: httpx decodes each received chunk whole (a 1 MB gzip
bomb peaked at 177 MB) and stacks decoders for ``Content-Encoding: gzip, gzip`` (1,827 bytes
held 2.1 GB). Here the raw stream is inflated in steps of at most ``STEP`` bytes and stops as
soon as the cap is passed; only identity, gzip and deflate are read, one layer of them.
Redirects are followed here too, since httpx reads (and decodes) a redirect's body whole.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import os
import stat
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import httpx

from reader import __version__
from reader.textutil import clean_line, os_reason

CHECK_SECONDS = 0.1  # how often fetch_all asks whether to go on (the reader quitting)
USER_AGENT = f"newsreader/{__version__} (terminal news reader; feed fetcher)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
_CODINGS = frozenset(  # IANA's content codings
    "gzip x-gzip deflate br zstd compress x-compress exi pack200-gzip aes128gcm dcb dcz".split()
)
ACCEPT_ENCODING = "gzip, deflate"  # what _inflate reads, in bounded steps (no br, no zstd)
STEP = 64 * 1024  # the most bytes one inflating step gives
_REDIRECTS = (301, 302, 303, 307, 308)


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
    moved_to: str | None = None  # every redirect on the way was permanent (301, 308): here
    retry_after: int | None = None  # 429 or 503: seconds the server asks to wait (capped)


class Refused(Exception):
    """A response not read; the message is the one-line reason."""


def local_path(url: str) -> str | None:
    """The file a ``file://`` address or plain path names, else None."""
    if url.startswith("file://"):
        return unquote(urlsplit(url).path)
    if "://" not in url:
        return url
    return None


def file_kind_problem(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is no feed file (None: a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a feed file"
    return "is not a regular file (a device, a pipe?), not a feed file"


class NotReadable(Exception):
    """A local file that is not read: the message says why (a device, a pipe, too large)."""


def read_local(path: str, max_bytes: int, what: str = "a feed file") -> bytes:
    """A local file's bytes: a regular file only (``/dev/zero`` never ends, a FIFO's open
    waits for a writer forever: opened without waiting, then asked what it is), read up to
    ``max_bytes``. Raises OSError (the system's reason) or NotReadable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        problem = file_kind_problem(os.fstat(fd).st_mode)
        if problem is not None:
            raise NotReadable(problem.replace("a feed file", what))
        data = bytearray()
        while (want := min(1 << 20, max_bytes + 1 - len(data))) and (piece := os.read(fd, want)):
            data += piece
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise NotReadable(f"larger than the {_mib(max_bytes)} limit")
    return bytes(data)


def _read_file(job: FetchJob, path: str, settings: FetchSettings) -> Fetched:
    """A local feed file (``read_local``)."""
    try:
        return Fetched(job, body=read_local(path, settings.max_bytes), final_url=job.url)
    except OSError as exc:
        return Fetched(job, error=os_reason(exc))
    except NotReadable as exc:
        return Fetched(job, error=str(exc))


MAX_RETRY_AFTER = 24 * 3600  # the longest wait a server's Retry-After is granted


def retry_seconds(value: str, now: float | None = None) -> int | None:
    """A Retry-After header's wait in seconds (delta-seconds or an HTTP date), at most
    ``MAX_RETRY_AFTER`` (a server asking for a year would silence its feed); None when there
    is none, or it cannot be read."""
    value = value.strip()
    if value.isascii() and value.isdigit():  # ("²" is a digit to isdigit, not to int)
        return MAX_RETRY_AFTER if len(value) > 9 else min(int(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    wait = when.timestamp() - (time.time() if now is None else now)
    return min(max(int(wait), 0), MAX_RETRY_AFTER)


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds / 3600:.1f} h".replace(".0 h", " h")


def _mib(n: int) -> str:
    return f"{n / 1048576:g} MiB"


_DNS = ("name or service not known", "nodename nor servname", "name resolution", "no address")


def _host(url: str) -> tuple[str, str]:
    """The address's netloc and host name ("the server" when it has none or is malformed)."""
    try:
        parts = urlsplit(url)
        return parts.netloc or "the server", parts.hostname or parts.netloc or "the server"
    except ValueError:  # "http://[::1": the caller says the address is not valid
        return "the server", "the server"


def _describe(exc: Exception, settings: FetchSettings, url: str = "") -> str:
    """A one-line reason for a transport failure, in plain words (the library's text after
    it only where it adds something)."""
    host, hostname = _host(url)
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
    if isinstance(exc, (httpx.InvalidURL, ValueError)):
        return _invalid(url, exc)
    if any(word in lowered for word in _DNS):
        return f"cannot find the host {hostname} (DNS lookup failed)"
    if "certificate" in lowered or "ssl" in lowered:
        return f"the secure connection to {host} failed (TLS: {detail[:80]})"
    if isinstance(exc, httpx.ConnectError) or "refused" in lowered:
        if "refused" in lowered or "all connection attempts failed" in lowered:
            return f"cannot connect to {host} (connection refused)"
        if "unreachable" in lowered:
            return f"cannot connect to {host} (network unreachable)"
        return f"cannot connect to {host}" + (f" ({detail[:80]})" if detail else "")
    if isinstance(exc, httpx.RemoteProtocolError) and "location" in lowered:
        return f"redirected to an address that is not valid ({clean_line(detail)[:80]})"
    if isinstance(exc, httpx.RemoteProtocolError) and any(w in lowered for w in _NOT_HTTP):
        return f"{host} answered something that is not HTTP ({clean_line(detail)[:60]})"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return f"{host} closed the connection before sending the whole feed"
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


# h11's words for a response that is no HTTP (a "closed the connection" it was not)
_NOT_HTTP = ("illegal", "invalid", "malformed", "bad header", "unsupported")


def _invalid(url: str, exc: Exception) -> str:
    """Why an address that does not parse is none: an unclosed ``[`` (where the library
    says "Invalid port: ':1'" of ``http://[::1``), else the library's words."""
    authority = url.partition("://")[2].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if "[" in authority and "]" not in authority:
        return "not a valid address (the '[' that opens its host is never closed)"
    detail = clean_line(" ".join(str(exc).split()))[:80]
    return f"not a valid address ({detail})" if detail else "not a valid address"


def address_problem(url: str) -> str | None:
    """Why an http(s) address cannot be fetched at all (None: it can be tried), in one line:
    control characters, a malformed host or port, no host. Other addresses: None."""
    if local_path(url) is not None:
        return None
    if clean_line(url) != url:
        return "not a valid address (it holds control characters or line breaks)"
    try:
        parsed = httpx.URL(url)
        urlsplit(url).port  # noqa: B018  (raises for "http://[::1" and a port out of range)
    except (httpx.InvalidURL, ValueError) as exc:
        return _invalid(url, exc)
    if parsed.scheme not in ("http", "https"):
        return "not an http(s) address"
    if not parsed.host:
        return "not a valid address (no host)"
    host = urlsplit(url).hostname or ""
    if any(ch.isspace() for ch in host) or ".." in host or host.startswith("."):
        return f"not a valid address (the host {clean_line(host)[:60]!r} cannot be one)"
    return None


def _encoding(resp: httpx.Response) -> str:
    """The one Content-Encoding read ("" for none); Refused for stacked or unknown ones."""
    given = resp.headers.get("content-encoding", "")
    codings = [c.strip().lower() for c in given.split(",")]
    # A value that names no content coding ("none", "utf-8": misconfigured servers) is read
    # as none, as httpx reads it; the codings that exist but are not read here are refused.
    codings = [c for c in codings if c in _CODINGS]
    shown = clean_line(given)[:60]
    if len(codings) > 1:
        raise Refused(f"compressed {len(codings)} times over (Content-Encoding: {shown}); not read")
    if not codings:
        return ""
    if codings[0] in ("gzip", "x-gzip", "deflate"):
        return codings[0]
    raise Refused(f"compressed as {shown} (Content-Encoding), which newsreader does not read")


async def _inflate(raw: AsyncIterator[bytes], encoding: str) -> AsyncIterator[bytes]:
    """The decoded body of a raw stream, in pieces of at most ``STEP`` bytes: a bomb is
    inflated no further than the caller reads (Refused: corrupt data)."""
    if not encoding:
        async for chunk in raw:
            yield chunk
        return
    inflater = _Inflater(gzip=encoding != "deflate")
    async for chunk in raw:
        for piece in inflater.feed(chunk):
            yield piece
    if inflater.cut_short():  # (a cut connection, a Content-Length shorter than the data)
        raise Refused("the compressed response ended early (the feed was cut short)")


class _Inflater:
    """gzip (its members one after another) or deflate (with the zlib header or, as some
    servers send it, without), inflated ``STEP`` bytes at a time."""

    def __init__(self, gzip: bool) -> None:
        self.gzip = gzip
        self.started = False  # some data was inflated
        self.ended = False  # bytes after the end that are no further gzip member: ignored
        self.members = 0  # gzip members read to their end
        self.out = 0  # bytes the current member (or deflate stream) gave
        self.z = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)

    def cut_short(self) -> bool:
        """At the stream's end: whether it ended inside compressed data. Bytes after a whole
        gzip member that gave nothing are trailing bytes, not a member cut short."""
        if not self.started or self.ended or self.z.eof:
            return False
        return not (self.members and not self.out)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """What this chunk of the raw stream inflates to."""
        while data and not self.ended:
            if self.z.eof:  # one gzip member ended: another may follow (RFC 1952)
                if not self.gzip:
                    return
                self.z = zlib.decompressobj(zlib.MAX_WBITS | 16)
                self.members, self.out = self.members + 1, 0
                try:
                    yield from self._counted(data)
                except zlib.error:
                    self.ended = True  # trailing bytes, not a member (as httpx ignores them)
                    return
            else:
                try:
                    yield from self._counted(data)
                except zlib.error:
                    if self.gzip or self.started:
                        raise Refused("the compressed response is corrupt") from None
                    self.z = zlib.decompressobj(-zlib.MAX_WBITS)  # deflate without its header
                    try:
                        yield from self._counted(data)
                    except zlib.error:
                        raise Refused("the compressed response is corrupt") from None
            self.started = True
            data = self.z.unused_data if self.z.eof else b""

    def _counted(self, data: bytes) -> Iterator[bytes]:
        for piece in _steps(self.z, data):
            self.out += len(piece)
            yield piece


def _steps(inflater: zlib._Decompress, data: bytes) -> Iterator[bytes]:
    """Everything ``data`` inflates to, ``STEP`` bytes at a time, up to the stream's end
    (the bytes after it are in ``unused_data``; when the end came in a step cut at ``STEP``
    they are in ``unconsumed_tail`` too, and feeding them to the ended stream again gave
    nothing, for ever)."""
    while True:
        piece = inflater.decompress(data, STEP)
        if piece:
            yield piece
        data = inflater.unconsumed_tail
        if inflater.eof or (not data and len(piece) < STEP):
            return


def _not_followed(url: httpx.URL, location: str) -> str | None:
    """Why a redirect to this address (``location`` as the server gave it) is not followed
    (None: it is followed)."""
    shown = clean_line(location)[:200]
    if url.scheme in ("http", "https") and url.host:
        # an absolute address as the server wrote it ("http://[zz/x": httpx would try the host
        # "%5bzz" and say the DNS lookup of the first host failed)
        problem = address_problem(location) if "://" in location else None
        if problem is None and "%" in url.host:
            problem = "not a valid address (its host)"
        if problem is not None:
            return f"redirected to {shown[:120]}, which is {problem[:120]}; not followed"
        return None
    if url.scheme == "file":
        return f"redirected to a file: address ({shown}); not followed"
    return f"redirected to an address that is not http(s) ({shown}); not followed"


async def _get(client: httpx.AsyncClient, job: FetchJob, settings: FetchSettings) -> Fetched:
    headers = {}
    if job.accept:
        headers["Accept"] = job.accept
    if job.etag:
        headers["If-None-Match"] = job.etag
    if job.last_modified:
        headers["If-Modified-Since"] = job.last_modified
    request = client.build_request("GET", job.url, headers=headers)
    hops: list[int] = []  # the statuses of the redirects followed
    for _ in range(settings.max_redirects + 1):
        try:
            resp = await client.send(request, stream=True, follow_redirects=False)
        except httpx.InvalidURL as exc:
            # (the request's address is valid: httpx reads a redirect's Location even when
            # it does not follow it, and refused `javascript:alert(1)` in its own words)
            reason = clean_line(str(exc))[:80]
            return Fetched(job, error=f"redirected to an address that is not valid ({reason})")
        try:
            if resp.status_code in _REDIRECTS and "location" not in resp.headers:
                status = resp.status_code
                return Fetched(job, status=status, error=f"HTTP {status}, a redirect to nowhere")
            if resp.status_code in _REDIRECTS and "location" in resp.headers:
                status = resp.status_code
                location = resp.headers["location"]
                try:
                    target = resp.url.join(location)
                except (httpx.InvalidURL, ValueError) as exc:
                    reason = f"redirected to an address that is not valid ({str(exc)[:80]})"
                    return Fetched(job, status=status, error=reason)
                if (refused := _not_followed(target, location)) is not None:
                    return Fetched(job, status=status, error=refused)
                request = client.build_request("GET", target, headers=headers)
                hops.append(status)
                await _drain(resp)  # so that the connection can serve the next hop
                continue
            result = await _read(resp, job, settings)
            if hops and all(status in (301, 308) for status in hops):
                result.moved_to = result.final_url
            return result
        finally:
            await resp.aclose()
    raise httpx.TooManyRedirects("too many redirects", request=request)


NOT_MODIFIED_UNASKED = (
    "HTTP 304 Not Modified to a request without If-None-Match or If-Modified-Since "
    "(a server error; nothing to read)"
)
REDIRECT_BODY = 64 * 1024  # the most of a redirect's raw body read (and dropped)


async def _drain(resp: httpx.Response) -> None:
    """Read and drop a redirect's raw body, up to ``REDIRECT_BODY`` bytes (never decoded): a
    body read to its end lets its keep-alive connection serve the next request; a longer one
    is left, and the connection closed with the response."""
    seen = 0
    async for chunk in resp.aiter_raw():
        seen += len(chunk)
        if seen > REDIRECT_BODY:
            return


async def _read(resp: httpx.Response, job: FetchJob, settings: FetchSettings) -> Fetched:
    """A final response: its body (up to the cap), 'not modified', or an HTTP error."""
    result = Fetched(
        job,
        status=resp.status_code,
        content_type=resp.headers.get("content-type"),
        etag=resp.headers.get("etag"),
        last_modified=resp.headers.get("last-modified"),
        final_url=str(resp.url),
    )
    if resp.status_code == 304:
        if not (job.etag or job.last_modified):
            # Nothing was asked to compare with: "not modified" since what? A server's error
            # (a cache or a CDN misconfigured), not a feed that is the same as last time.
            result.error = NOT_MODIFIED_UNASKED
            return result
        result.not_modified = True
        result.etag = result.etag or job.etag
        result.last_modified = result.last_modified or job.last_modified
        return result
    if resp.status_code >= 400 or resp.status_code < 200:
        reason = clean_line(resp.reason_phrase or "")[:80]
        hint = "; the feed is gone (remove it?)" if resp.status_code == 410 else ""
        if resp.status_code in (429, 503):
            result.retry_after = retry_seconds(resp.headers.get("retry-after", ""))
            if result.retry_after is not None:
                hint = f"; asked to wait {_duration(result.retry_after)} (Retry-After)"
        result.error = f"HTTP {resp.status_code} {reason}".rstrip() + hint
        return result
    try:
        encoding = _encoding(resp)
    except Refused as exc:
        result.error = str(exc)
        return result
    declared = resp.headers.get("content-length", "")
    if not encoding and declared.isdigit() and int(declared) > settings.max_bytes:
        result.error = f"larger than the {_mib(settings.max_bytes)} limit ({declared} bytes)"
        return result
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in _inflate(resp.aiter_raw(), encoding):  # stops at the cap
            size += len(chunk)
            if size > settings.max_bytes:
                result.error = f"larger than the {_mib(settings.max_bytes)} limit"
                return result
            chunks.append(chunk)
    except Refused as exc:
        result.error = str(exc)
        return result
    result.body = b"".join(chunks)
    return result


def client(settings: FetchSettings) -> httpx.AsyncClient:
    """An HTTP client with the project's limits and headers (redirects are followed by
    ``_get``, bodies decoded by ``_inflate``)."""
    return httpx.AsyncClient(
        follow_redirects=False,
        max_redirects=settings.max_redirects,
        timeout=httpx.Timeout(settings.total_timeout, connect=settings.connect_timeout),
        limits=httpx.Limits(
            max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency
        ),
        headers={
            "User-Agent": USER_AGENT,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
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
                elif (problem := address_problem(job.url)) is not None:
                    result = Fetched(job, error=problem)  # (subscribed before it was checked)
                else:
                    host = _host(job.url)[0].lower()
                    per_host = hosts.setdefault(host, asyncio.Semaphore(settings.per_host))
                    async with per_host:
                        try:
                            async with asyncio.timeout(settings.total_timeout):
                                result = await _get(http, job, settings)
                        except (
                            httpx.HTTPError,
                            httpx.InvalidURL,
                            TimeoutError,
                            OSError,
                            ValueError,
                        ) as exc:
                            result = Fetched(job, error=_describe(exc, settings, job.url))
                if result.error is not None:  # server text (reason phrases, headers) in it
                    result.error = clean_line(result.error)
                if result.content_type is not None:
                    result.content_type = clean_line(result.content_type)
                await on_result(result)

        await asyncio.gather(*(one(job) for job in jobs))
