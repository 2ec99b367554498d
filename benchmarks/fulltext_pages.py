"""Web pages for measuring main-text extraction, built the way real sites build them.

There is no network here, so these are not real pages: each is an article the team wrote,
poured into one of eight site layouts modelled on kinds of sites feeds link to (a news
portal, a WordPress blog, a French daily, an engineering blog with code, a site made only of
``<div>``s, a magazine, a documentation page, a link roundup), each with what such sites put
around an article: navigation, cookie banners, breadcrumbs, share bars, inline "read more"
boxes, newsletter forms, comments, sidebars of most-read lists and ads, related-article grids,
footers. The gold text of each page is what a reader should get: the article's headings,
paragraphs, list items, quotes, code and table cells (captions and bylines are not scored).

``pages()`` returns ``(name, title, html, gold_text, expects)``; ``expects`` names the
structures the article holds (``code``, ``table``, ``image``) so the benchmark can check them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """An article: title, blocks of (kind, text), the structures it holds."""

    title: str
    blocks: list[tuple[str, str]]
    lang: str = "en"
    expects: tuple[str, ...] = ()
    images: list[tuple[str, str]] = field(default_factory=list)  # (src, alt) after block 1


A_BATTERY = Article(
    "Sodium-ion cells reach the small-car market",
    [
        (
            "p",
            "The first small cars with sodium-ion batteries went on sale this month in three "
            "Chinese cities, at prices about a fifth below those of the same models with "
            "lithium iron phosphate packs.",
        ),
        (
            "p",
            "Sodium is abundant and cheap, and the cells keep most of their capacity in the "
            "cold, which matters for buyers in the north. Their energy density is lower, so "
            "the range of the cars stays under three hundred kilometres.",
        ),
        ("h2", "Why carmakers care"),
        (
            "p",
            "Makers of small cars have struggled to sell them at a profit since lithium "
            "prices spiked two years ago. A cheaper chemistry changes that sum, even if "
            "lithium has since fallen back.",
        ),
        ("ul", "Lower cost per kilowatt-hour|Better behaviour below freezing|No cobalt or nickel"),
        (
            "p",
            "Analysts expect the share of sodium-ion cells to stay small for several years, "
            "because factories that make them are only now being built at scale.",
        ),
        (
            "quote",
            "It will not replace lithium, but it will sit next to it in every entry-level "
            "range we sell.",
        ),
        ("p", "Two European makers said they were testing the cells for city cars due in 2028."),
    ],
    expects=("image",),
    images=[("/media/2026/03/sodium-cell.jpg", "A sodium-ion cell on a test bench")],
)

A_CODE = Article(
    "Rate limiting at the edge without a shared counter",
    [
        (
            "p",
            "Every request to our edge passes through a rate limiter. Until last year each "
            "data centre asked a central store for the count of a client's recent requests, "
            "which added a round trip to the slowest requests.",
        ),
        (
            "p",
            "The new design keeps a small sliding window in each machine and exchanges "
            "summaries between machines every second. The core of the check is short:",
        ),
        (
            "code",
            "fn allow(window: &mut Window, now: Instant, limit: u32) -> bool {\n"
            "    window.advance(now);\n"
            "    let estimate = window.previous * window.overlap(now) + window.current;\n"
            "    if estimate >= limit as f64 {\n"
            "        return false;\n"
            "    }\n"
            "    window.current += 1.0;\n"
            "    true\n"
            "}",
        ),
        (
            "p",
            "The estimate weighs the previous window by how much of it still overlaps the "
            "last second, a trick that avoids storing every timestamp.",
        ),
        (
            "table",
            "Design|p50 added latency|p99 added latency;"
            "Central store|0.9 ms|14 ms;Local windows|0.02 ms|0.3 ms",
        ),
        (
            "p",
            "The local design can let slightly more requests through during the first "
            "second of a burst. For the limits our customers set, that error stays under "
            "two per cent.",
        ),
        ("h2", "What we would do differently"),
        (
            "p",
            "We would have started with the summaries exchange rather than bolting it on; "
            "most of the bugs we shipped came from the two designs running side by side.",
        ),
    ],
    expects=("code", "table"),
)

A_FRENCH = Article(
    "Le tramway de Besançon prolongé jusqu'aux hôpitaux",
    [
        (
            "p",
            "Les travaux de prolongement de la ligne 2 du tramway de Besançon commenceront "
            "en septembre, a annoncé la métropole lundi. Trois nouvelles stations desserviront "
            "le quartier des hôpitaux et le campus de la Bouloie.",
        ),
        (
            "p",
            "Le chantier, estimé à 68 millions d'euros, doit durer deux ans. La circulation "
            "sera restreinte avenue de l'Observatoire pendant huit mois.",
        ),
        ("h2", "Une fréquentation en hausse"),
        (
            "p",
            "La fréquentation du réseau a progressé de 12 % en un an, portée par les "
            "étudiants et par la hausse du prix des carburants, selon l'exploitant.",
        ),
        (
            "p",
            "Des associations de riverains demandent que les arbres abattus soient remplacés "
            "sur place, ce que la métropole dit avoir prévu dans le projet.",
        ),
        ("quote", "Nous voulons que l'hôpital soit à dix minutes de la gare en tramway."),
        ("p", "Une réunion publique est prévue le 14 avril à la mairie de quartier."),
    ],
    lang="fr",
    expects=("image",),
    images=[("https://static.lequotidien.example/img/tram-besancon.jpg", "")],
)

A_REVIEW = Article(
    "A week with a folding electric bike",
    [
        (
            "p",
            "Folding bikes ask you to trade ride quality for a small package. The one we "
            "rode for a week asks for less of that trade than most, thanks to a stiff frame "
            "and wide tyres.",
        ),
        (
            "p",
            "It folds in about fifteen seconds once you know the order of the three clamps, "
            "and the folded bike rolls on its rear rack like a suitcase.",
        ),
        ("h3", "Battery and range"),
        (
            "p",
            "We rode fifty-eight kilometres on a charge in the middle assistance level, on "
            "a hilly route, with a rider of eighty kilos. The battery comes out for charging "
            "indoors.",
        ),
        ("ol", "Unfold the frame|Raise the handlebar post|Lock the seat post"),
        (
            "p",
            "The hub motor is quiet but the torque sensor is slow to react when starting "
            "uphill, a small annoyance in city traffic.",
        ),
        (
            "p",
            "At its price it is not a bargain, but it is the folding bike we would buy for "
            "a daily train commute.",
        ),
    ],
    expects=("image",),
    images=[
        ("/wp-content/uploads/2026/02/bike-folded-1024x768.jpg", "The bike folded"),
        ("/wp-content/uploads/2026/02/bike-ride-1024x768.jpg", "On the road"),
    ],
)

A_DOCS = Article(
    "Configuring retention for time-series tables",
    [
        (
            "p",
            "Retention policies delete old data automatically. Each table can have one "
            "policy, set when the table is created or changed later.",
        ),
        ("code", "ALTER TABLE metrics\n  SET RETENTION 90 DAYS\n  ON PARTITION time_bucket;"),
        (
            "p",
            "The policy runs once an hour. It drops whole partitions, so disk space is "
            "freed at once and no vacuum is needed.",
        ),
        (
            "table",
            "Setting|Default|Meaning;retention|none|how long rows are kept;"
            "check_interval|1 hour|how often the policy runs",
        ),
        (
            "p",
            "A policy never deletes the partition that is being written to, even if its "
            "oldest rows are past the limit.",
        ),
    ],
    expects=("code", "table"),
)

A_ROUNDUP = Article(
    "The week in charging: five things worth reading",
    [
        (
            "p",
            "Each Friday we collect the charging stories we found most useful. This week: "
            "prices, standards and a surprising survey.",
        ),
        (
            "p",
            "A long analysis of why fast-charging prices differ so much between motorway "
            "and city sites argues that land costs, not electricity, explain most of it.",
        ),
        (
            "p",
            "The standards body published the final text of the plug-and-charge "
            "certificate rules, which should end the need for a card at most stations.",
        ),
        (
            "p",
            "A survey of drivers in four countries found that reliability, not speed, is "
            "what they complain about most.",
        ),
        (
            "p",
            "A utility in the north of England is testing chargers on lamp posts in streets "
            "where houses have no driveways.",
        ),
        (
            "p",
            "And finally, a short history of the first public chargers, installed in the "
            "nineteen-nineties and almost never used.",
        ),
    ],
)

A_BRIEF = Article(
    "Charging network adds forty sites on motorways",
    [
        (
            "p",
            "The operator said on Monday that forty new fast-charging sites would open on "
            "motorways in the west of the country by the end of the year.",
        ),
        (
            "p",
            "Each site will have at least six chargers of 300 kilowatts, and half of them "
            "will be covered and lit, a common complaint of drivers at existing stations.",
        ),
    ],
)

LONG_COMMENTS = (
    '<section class="comments"><h3>Comments (3)</h3>'
    '<div class="comment"><p class="who">longtime_reader</p><p>I drive that motorway every '
    "week and the existing stations are a disgrace. Half of the chargers are broken, the ones "
    "that work are slow, and there is no shelter when it rains. I have written to the "
    "operator three times and never had an answer. Forty new sites sounds good on paper but "
    "I will believe it when I see it, because the last announcement of this kind was two "
    "years ago and nothing came of it.</p></div>"
    '<div class="comment"><p class="who">engineer_jo</p><p>For what it is worth, 300 '
    "kilowatts is more than most cars on the road can take today. The real limit is the "
    "grid connection at each site: six chargers at full power need almost two megawatts, "
    "and getting that from the network operator takes longer than building the station "
    "itself. That is why so many sites open with fewer chargers than announced, and why "
    "batteries on site are becoming common.</p></div>"
    '<div class="comment"><p class="who">m.b.</p><p>Lighting and a roof are the things I '
    "care about most, so good news, if they do it.</p></div></section>"
)

BIO = (
    '<aside class="author-bio"><h3>About the author</h3><p>Priya has covered energy and '
    "transport for fifteen years, first at a regional daily and then as a correspondent in "
    "Brussels, where she followed the negotiations on the car emission rules. She is the "
    "author of a book on the history of the electric grid and lives with her family and two "
    "very old bicycles in a town by the sea.</p></aside>"
)


def _in_content_clutter(a: Article) -> str:
    """Paragraphs with what publishers put between them, inside the same container."""
    clutter = [
        '<div class="ad-slot"><span>Advertisement</span><div id="gpt-ad-1"></div></div>',
        '<div class="related-inline"><h4>Related</h4><ul><li><a href="/x/1">Motorway tolls '
        'to rise in April</a></li><li><a href="/x/2">The best apps for finding a charger</a>'
        "</li></ul></div>",
        '<div class="embed-social"><blockquote class="social-embed"><p>Big news for road trips '
        "this summer! #ev</p>— @ChargeCo</blockquote></div>",
    ]
    parts = []
    for i, (kind, text) in enumerate(a.blocks):
        parts.append(_block(kind, text))
        if i == 0:
            parts.extend(f'<p><img src="{src}" alt="{alt}"></p>' for src, alt in a.images)
        if i < len(clutter):
            parts.append(clutter[i])
    return "".join(parts)


def cluttered_brief(a: Article) -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{a.title}</title></head><body>{COOKIES}"
        f"<header>{NAV.format(cls='top')}</header><div class='container'><div class='content'>"
        f"<h1>{a.title}</h1><p class='meta'>By Priya N. · 3 min read</p>"
        f"{_in_content_clutter(a)}{BIO}<div class='more-from'><h3>More from Priya N.</h3><ul>"
        "<li><a href='/p/1'>How grid batteries earn their money</a></li><li><a href='/p/2'>"
        "Inside a transformer factory</a></li></ul></div>"
        f"{LONG_COMMENTS}</div><div class='sidebar'>{MOST_READ}</div></div>{FOOTER}"
        "</body></html>"
    )


NAV = (
    '<nav class="{cls}"><ul>'
    + "".join(
        f'<li><a href="/{slug}">{label}</a></li>'
        for slug, label in [
            ("news", "News"),
            ("reviews", "Reviews"),
            ("tech", "Technology"),
            ("science", "Science"),
            ("opinion", "Opinion"),
            ("video", "Video"),
            ("podcasts", "Podcasts"),
            ("newsletters", "Newsletters"),
            ("subscribe", "Subscribe"),
        ]
    )
    + "</ul></nav>"
)
COOKIES = (
    '<div id="consent" class="cookie-banner"><p>We use cookies and similar technologies to '
    "measure audience, personalise content and show you relevant advertising. You can change "
    'your choices at any time.</p><a href="/privacy">Privacy policy</a> '
    "<button>Accept all</button><button>Refuse</button></div>"
)
MOST_READ = (
    '<section class="most-read"><h3>Most read</h3><ol>'
    '<li><a href="/n/1">Petrol prices hit a two-year low as demand slows</a></li>'
    '<li><a href="/n/2">The best budget phones you can buy this spring</a></li>'
    '<li><a href="/n/3">City council approves new cycle lanes after long debate</a></li>'
    '<li><a href="/n/4">Ten photos that defined the winter</a></li></ol></section>'
)
FOOTER = (
    '<footer class="site-footer"><div class="footer-links"><a href="/about">About us</a> '
    '<a href="/contact">Contact</a> <a href="/jobs">Work for us</a> '
    '<a href="/advertise">Advertise</a> <a href="/terms">Terms and conditions</a> '
    '<a href="/privacy">Privacy</a> <a href="/cookies">Cookie settings</a></div>'
    "<p>© 2026 Example Media Group. All rights reserved. Reproduction without permission is "
    "prohibited.</p></footer>"
)
NEWSLETTER = (
    '<div class="newsletter"><h3>Sign up to our morning briefing</h3><p>The news you need to '
    'start the day, in your inbox at 7am.</p><form><input type="email" placeholder="Your '
    'email"><button>Sign up</button></form></div>'
)
COMMENTS = (
    '<section id="comments"><h3>41 comments</h3>'
    '<div class="comment"><span class="who">rider_77</span><p>I have been waiting for '
    "this for years, finally some good news.</p></div>"
    '<div class="comment"><span class="who">grumpy</span><p>Nobody asked for this. Fix the '
    "roads first.</p></div>"
    '<div class="comment"><span class="who">anna.k</span><p>Does anyone know if this '
    "applies outside the city as well?</p></div></section>"
)
RELATED = (
    '<section class="related"><h3>Related articles</h3><div class="grid">'
    '<div class="card"><a href="/r/1"><img src="/thumbs/1.jpg" alt=""><h4>Inside the '
    "factory that makes half the world's batteries</h4></a></div>"
    '<div class="card"><a href="/r/2"><img src="/thumbs/2.jpg" alt=""><h4>Are electric '
    "cars really cheaper to run? We did the maths</h4></a></div>"
    '<div class="card"><a href="/r/3"><img src="/thumbs/3.jpg" alt=""><h4>The quiet '
    "revolution in public transport</h4></a></div></div></section>"
)
SHARE = (
    '<div class="share-bar"><a href="https://social.example/share">Share</a> '
    '<a href="https://chat.example/share">Send</a> <a href="mailto:?body=x">Email</a> '
    "<span>Save for later</span></div>"
)


def _block(kind: str, text: str, code_tag: str = "pre><code") -> str:
    esc = html.escape(text, quote=False)
    match kind:
        case "p":
            return f"<p>{esc}</p>"
        case "h2" | "h3":
            return f"<{kind}>{esc}</{kind}>"
        case "ul" | "ol":
            return (
                f"<{kind}>"
                + "".join(f"<li>{html.escape(i)}</li>" for i in text.split("|"))
                + (f"</{kind}>")
            )
        case "quote":
            return f"<blockquote><p>{esc}</p></blockquote>"
        case "code":
            close = "</code></pre>" if code_tag == "pre><code" else "</pre>"
            return f"<{code_tag}>{esc}{close}"
        case "table":
            rows = [r.split("|") for r in text.split(";")]
            head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                for r in rows[1:]
            )
            return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    raise ValueError(kind)


def gold(article: Article) -> str:
    """The text a reader should get: title excluded, every block's words."""
    out = []
    for kind, text in article.blocks:
        if kind in ("ul", "ol"):
            out.extend(text.split("|"))
        elif kind == "table":
            out.extend(" ".join(r.split("|")) for r in text.split(";"))
        else:
            out.append(text)
    return "\n".join(out)


def _body(article: Article, *, code_tag: str = "pre><code", inline_box: str = "") -> str:
    parts = []
    for i, (kind, text) in enumerate(article.blocks):
        parts.append(_block(kind, text, code_tag))
        if i == 0:
            for src, alt in article.images:
                parts.append(
                    f'<figure><img src="{src}" alt="{html.escape(alt)}" loading="lazy" '
                    f'width="1024" height="768"><figcaption>Photo: staff</figcaption></figure>'
                )
        if i == 2 and inline_box:
            parts.append(inline_box)
    return "\n".join(parts)


def news_portal(a: Article) -> str:
    box = (
        '<aside class="read-more"><strong>Read more:</strong> <a href="/n/9">Why lithium '
        "prices fell</a></aside>"
    )
    return (
        f"<!DOCTYPE html><html lang='{a.lang}'><head><meta charset='utf-8'><title>{a.title} | "
        "Daily Wire</title><script>var ads = [];</script></head><body>"
        f"{COOKIES}<header><a href='/'><img src='/logo.svg' alt='Daily Wire'></a>"
        f"{NAV.format(cls='primary')}<div class='ticker'>Live: <a href='/live'>Markets "
        "open higher</a></div></header><main><div class='breadcrumbs'><a href='/'>Home</a> › "
        f"<a href='/news'>News</a></div><article><h1>{a.title}</h1><div class='byline'>By "
        "<a href='/by/sam'>Sam Reporter</a>, 2 March 2026</div>"
        f"{SHARE}<div class='article-body'>{_body(a, inline_box=box)}</div>{NEWSLETTER}"
        f"</article>{COMMENTS}</main><aside class='rail'>{MOST_READ}<div class='ad'>"
        "<img src='https://ads.example.net/300x250.gif' alt='Advertisement'></div></aside>"
        f"{RELATED}{FOOTER}</body></html>"
    )


def wordpress(a: Article) -> str:
    widgets = (
        '<aside id="secondary" class="widget-area"><section class="widget"><h2>Categories</h2>'
        '<ul><li><a href="/c/bikes">Bikes</a> (42)</li><li><a href="/c/gear">Gear</a> (17)</li>'
        '<li><a href="/c/trips">Trips</a> (9)</li></ul></section><section class="widget">'
        '<h2>Archives</h2><ul><li><a href="/2026/02/">February 2026</a></li>'
        '<li><a href="/2026/01/">January 2026</a></li></ul></section><section class="widget">'
        '<h2>Tags</h2><a href="/t/commute">commute</a> <a href="/t/ebike">ebike</a> '
        '<a href="/t/review">review</a></section></aside>'
    )
    return (
        f"<!DOCTYPE html><html lang='{a.lang}'><head><meta charset='UTF-8'><title>{a.title} "
        "– Two Wheels Blog</title><link rel='stylesheet' href='/wp-content/themes/x.css'>"
        "</head><body class='post-template-default single'><div id='page' class='site'>"
        "<header id='masthead'><p class='site-title'><a href='/'>Two Wheels Blog</a></p>"
        "<p class='site-description'>Bikes, trips and gear since 2011</p>"
        f"{NAV.format(cls='main-navigation')}</header><div id='content' class='site-content'>"
        "<div id='primary' class='content-area'><main id='main'><article class='post type-post'>"
        f"<header class='entry-header'><h1 class='entry-title'>{a.title}</h1><div "
        "class='entry-meta'>Posted on <time>February 20, 2026</time> by <a href='/author/mo'>"
        f"Mo</a></div></header><div class='entry-content'>{_body(a)}<div class='sharedaddy'>"
        "<h3>Share this:</h3><a href='/share/x'>X</a> <a href='/share/f'>Facebook</a></div>"
        "</div><footer class='entry-footer'>Posted in <a href='/c/bikes'>Bikes</a></footer>"
        "</article><nav class='post-navigation'><a href='/prev'>Previous: Winter tyres for "
        "bikes</a> <a href='/next'>Next: A trip along the Loire</a></nav>"
        f"<div id='comments'>{COMMENTS}<div id='respond'><h3>Leave a Reply</h3><form>"
        "<textarea></textarea><input type='submit' value='Post Comment'></form></div></div>"
        f"</main></div>{widgets}</div><footer id='colophon'><p>Proudly powered by WordPress"
        "</p></footer></div></body></html>"
    )


def french_daily(a: Article) -> str:
    box = (
        '<section class="lire-aussi"><span>Lire aussi</span> <a href="/a/1">Transports : '
        "les villes moyennes misent sur le tram</a></section>"
    )
    return (
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>"
        f"{a.title}</title></head><body><div class='bandeau'>Abonnez-vous à partir de 1 € le "
        "premier mois <a href='/abo'>S'abonner</a></div><header><nav><a href='/'>Accueil</a> "
        "<a href='/politique'>Politique</a> <a href='/international'>International</a> "
        "<a href='/economie'>Économie</a> <a href='/regions'>Régions</a> <a href='/sport'>"
        "Sport</a> <a href='/culture'>Culture</a></nav></header><main><article>"
        "<p class='fil'><a href='/regions'>Régions</a> › <a href='/regions/doubs'>Doubs</a></p>"
        f"<h1>{a.title}</h1><p class='chapo-auteur'>Par <a href='/auteur/cm'>Claire Moreau"
        "</a>, publié le 3 mars 2026 à 7 h 30</p><div class='partage'><a href='/p/x'>Partager"
        f"</a> <a href='/p/m'>Envoyer</a></div><div class='article__content'>"
        f"{_body(a, inline_box=box)}</div><p class='article__copyright'>Article réservé à nos "
        "abonnés. Vous pouvez partager un article en cliquant sur les icônes de partage.</p>"
        "</article><section class='a-lire'><h2>Sur le même sujet</h2><ul><li><a href='/s/1'>"
        "Grand Besançon : le budget 2026 adopté</a></li><li><a href='/s/2'>Les bus gratuits "
        "le samedi, un succès</a></li></ul></section></main><footer><a href='/mentions'>"
        "Mentions légales</a> <a href='/cgu'>Conditions générales</a> <a href='/contact'>"
        "Nous contacter</a><p>© Le Quotidien de l'Est 2026</p></footer></body></html>"
    )


def engineering_blog(a: Article) -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{a.title}</title>"
        "</head><body><header class='blog-header'><a href='/'>Edge Engineering</a><nav>"
        "<a href='/products'>Products</a> <a href='/pricing'>Pricing</a> <a href='/docs'>"
        "Docs</a> <a href='/blog'>Blog</a> <a href='/login'>Log in</a> <a href='/signup'>"
        "Sign up</a></nav></header><div class='post-wrapper'><main class='post'>"
        f"<h1>{a.title}</h1><div class='authors'><img src='/avatars/ra.png' alt=''><a "
        "href='/author/ra'>Ravi A.</a> <span>12 min read</span></div>"
        f"<section class='post-content'>{_body(a)}</section><div class='tags'>"
        "<a href='/tag/performance'>Performance</a> <a href='/tag/rust'>Rust</a></div>"
        "</main><aside class='toc'><h4>On this page</h4><ul><li><a href='#a'>The old design"
        "</a></li><li><a href='#b'>Local windows</a></li><li><a href='#c'>Results</a></li>"
        "</ul></aside></div><section class='cta'><h2>Try it free</h2><p>Protect your site in "
        "five minutes. No credit card required.</p><a href='/signup'>Get started</a></section>"
        f"{RELATED}{FOOTER}</body></html>"
    )


def div_soup(a: Article) -> str:
    def block(kind: str, text: str) -> str:
        if kind == "p":
            return f"<div class='txt'>{html.escape(text)}</div>"
        if kind in ("h2", "h3"):
            return f"<div class='subhead'><b>{html.escape(text)}</b></div>"
        return _block(kind, text)

    parts = [block(k, t) for k, t in a.blocks]
    pics = "".join(f"<div class='pic'><img src='{src}' alt='{alt}'></div>" for src, alt in a.images)
    body = parts[0] + pics + "".join(parts[1:])
    return (
        f"<html><head><title>{a.title}</title></head><body><div id='wrap'><div id='top'>"
        "<div class='menu'><a href='/'>HOME</a> | <a href='/news'>NEWS</a> | <a href='/forum'>"
        "FORUM</a> | <a href='/shop'>SHOP</a> | <a href='/contact'>CONTACT</a></div></div>"
        "<div id='cols'><div id='left'><div class='box'><div class='boxtitle'>Login</div>"
        "<div>User <input> Pass <input></div></div><div class='box'><div class='boxtitle'>"
        "Links</div><a href='/l/1'>Partner site one</a><br><a href='/l/2'>Partner site two</a>"
        f"</div></div><div id='main'><div class='title'>{a.title}</div><div class='date'>"
        f"posted 02.03.2026 by admin</div><div class='content'>{body}</div>"
        "<div class='printmail'><a href='/print'>Print</a> | <a href='/mail'>Send to a friend"
        "</a></div></div><div id='right'><div class='box'><div class='boxtitle'>Poll</div>"
        "<div>Would you buy one? <input type='radio'> Yes <input type='radio'> No</div></div>"
        "</div></div><div id='bottom'>Copyright 2003-2026 Example Portal. Best viewed in any "
        "browser.</div></div></body></html>"
    )


def magazine(a: Article) -> str:
    pull = "<aside class='pullquote'>The battery comes out for charging indoors.</aside>"
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{a.title} | Ride Monthly"
        f"</title></head><body>{COOKIES}<header class='mag'>{NAV.format(cls='mag-nav')}"
        "<a class='subscribe' href='/subscribe'>Subscribe: 12 issues for 12 euros</a></header>"
        "<article class='feature'><div class='hero'><p class='kicker'>Tested</p>"
        f"<h1>{a.title}</h1><p class='standfirst'>Small, clever and quick: a commuter's "
        "companion.</p><p class='credit'>Words by Ines V. Photos by Tom P.</p></div>"
        f"<div class='body'>{_body(a, inline_box=pull)}</div><div class='verdict'><h3>"
        "Verdict</h3><p>Four stars out of five.</p></div></article>"
        f"{RELATED}{NEWSLETTER}{FOOTER}</body></html>"
    )


def docs_page(a: Article) -> str:
    sidebar = "".join(
        f"<li><a href='/docs/{s}'>{s.replace('-', ' ').title()}</a></li>"
        for s in [
            "getting-started",
            "installation",
            "tables",
            "retention",
            "compression",
            "backups",
            "replication",
            "monitoring",
            "upgrading",
            "faq",
        ]
    )
    return (
        f"<!DOCTYPE html><html><head><title>{a.title} — TimeDB docs</title></head><body>"
        "<header><a href='/'>TimeDB</a> <input placeholder='Search docs'> <a href='/docs'>"
        "Docs</a> <a href='/community'>Community</a> <a href='https://git.example/timedb'>"
        f"Source</a></header><div class='docs'><nav class='sidebar'><ul>{sidebar}</ul></nav>"
        f"<main><article><h1>{a.title}</h1>{_body(a, code_tag='pre')}</article>"
        "<div class='feedback'>Was this page helpful? <button>Yes</button><button>No</button>"
        "</div><div class='pager'><a href='/docs/tables'>← Tables</a> <a "
        "href='/docs/compression'>Compression →</a></div></main></div><footer>Apache 2.0 · "
        "<a href='/docs/edit'>Edit this page</a></footer></body></html>"
    )


def roundup(a: Article) -> str:
    linked = []
    for i, (kind, text) in enumerate(a.blocks):
        if kind == "p" and i > 0:
            words = text.split()
            head = " ".join(words[:4])
            rest = " ".join(words[4:])
            linked.append(f"<p><a href='https://source{i}.example/story'>{head}</a> {rest}</p>")
        else:
            linked.append(_block(kind, text))
    return (
        f"<!DOCTYPE html><html><head><title>{a.title}</title></head><body>{COOKIES}<header>"
        f"{NAV.format(cls='nav')}</header><main><article><h1>{a.title}</h1>"
        f"<p class='byline'>By the Charge desk</p>{''.join(linked)}</article>{COMMENTS}</main>"
        f"<aside>{MOST_READ}</aside>{FOOTER}</body></html>"
    )


LAYOUTS = [
    ("news-portal", news_portal, A_BATTERY),
    ("engineering-blog", engineering_blog, A_CODE),
    ("french-daily", french_daily, A_FRENCH),
    ("wordpress", wordpress, A_REVIEW),
    ("docs", docs_page, A_DOCS),
    ("roundup", roundup, A_ROUNDUP),
    ("div-soup", div_soup, A_BATTERY),
    ("magazine", magazine, A_REVIEW),
    ("brief-long-comments", cluttered_brief, A_BRIEF),
    ("battery-cluttered", cluttered_brief, A_BATTERY),
]


def pages() -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    """Every page: (name, title, html, gold text, structures it holds)."""
    return [(name, a.title, build(a), gold(a), a.expects) for name, build, a in LAYOUTS]
