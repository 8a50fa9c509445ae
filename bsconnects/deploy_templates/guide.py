"""DEPLOY.md: what this build is, where it goes, and the headers a web server must send."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import deploy_rules as rules

if TYPE_CHECKING:
    from . import DeploySummary


def _types_table() -> str:
    by_type: dict[str, list[str]] = {}
    for suffix, media_type in rules.MEDIA_TYPES.items():
        by_type.setdefault(media_type, []).append(f"`*{suffix}`")
    return "\n".join(f"| {', '.join(suffixes)} | `Content-Type: {media_type}` |"
                     for media_type, suffixes in by_type.items())


def render(summary: DeploySummary) -> str:
    start = ("starts from the memory snapshot made for it" if summary.snapshot else
             "has **no memory snapshot**: it starts normally, correct but slower "
             "(build again where Chromium is installed to include one)")
    encodings = " / ".join(f"`{suffix}`" for suffix in rules.SIBLING_SUFFIXES)
    names = " / ".join(f"`{name}`" for name, _ in rules.ENCODINGS)
    revalidated = ", ".join(f"`{path}`" for path in summary.revalidated)
    immutable, folder = rules.IMMUTABLE, rules.IMMUTABLE_FOLDER
    return f"""# Deploying this folder

Built by `bsconnects build` for the entry `{summary.entry}`; the page {start}.
{summary.files} files; a cold start downloads {summary.cold_bytes / 1e6:.1f} MB (brotli) in {summary.cold_files} files.

## Where it goes

- Over **https**, on the **same domain as the b+s Connects page**: b+s Connects loads the
  integration as a same-origin iframe. At the site's root or in a subfolder: every URL in the
  folder is relative.
- `cnx_connectsIntegrationLibrary.min.js` is not in the folder: `index.html` loads it by that
  relative URL, which in b+s Connects is the vendor's library.
- In b+s Connects, add a custom integration pointing at `index.html` and load it **hidden** (a
  visible integration can be unloaded, and then nothing answers beforeDial).

## What the web server must send

Types (a module script or a wasm module of another type is refused by the browser):

| files | header |
|---|---|
{_types_table()}

Encodings: large files have pre-compressed siblings ({encodings}). A request whose
`Accept-Encoding` names {names} and that has **no `Range` header** gets the sibling, with
`Content-Encoding: {rules.ENCODINGS[0][0]}` (or `{rules.ENCODINGS[1][0]}`) and the plain file's `Content-Type`.
A `Range` request gets bytes of the plain file (`206`): the worker reads wheels and the stdlib
archive by range. Every response carries `Vary: Accept-Encoding`. Compressing per request
instead works, but costs every agent time on each cold start.

Caching:

| files | header |
|---|---|
| everything under `{folder}/`: named by content, a new build has new names | `Cache-Control: {immutable}` |
| everything else: {revalidated} | `Cache-Control: {rules.REVALIDATE}` (a new build is seen at the next start) |

Security, on every response:

```
Content-Security-Policy: {rules.content_security_policy()}
X-Content-Type-Options: nosniff
Referrer-Policy: no-referrer
```

`frame-ancestors` lets b+s Connects ('self', same domain) and Dynamics 365 frame the page:
replace `{' '.join(rules.DYNAMICS_ORIGINS)}` with your organisation's origin (for example
`https://contoso.crm4.dynamics.com`) in the configuration you use.

## Ready-made configurations (in this folder)

- `web.config`: IIS 10 with the URL Rewrite module (it picks the siblings). Deploy it with the folder.
- `nginx.conf`: a server block. Set `root` and TLS; `brotli_static` needs the brotli static module
  (Debian/Ubuntu: `libnginx-mod-http-brotli-static`), or delete that line to serve the `.gz` siblings.
- `staticwebapp.config.json`: Azure Static Web Apps (deploy the folder as the app, with no build
  step); it compresses responses itself.

Keep the one you use; none of them is loaded by the page, and the others may be deleted.

## A new version

Deploy a new build by replacing the whole folder. Its files under `{rules.IMMUTABLE_FOLDER}/` have new names,
so an agent's browser never mixes two builds; `index.html` is revalidated and points at the new ones.
"""
