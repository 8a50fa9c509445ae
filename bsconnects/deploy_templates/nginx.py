"""nginx.conf: a server block for the built folder.

nginx's `add_header` in a `location` replaces the server's, so each location repeats the full
set; `types` lists exactly the folder's types, so the block does not depend on the system's
mime.types.
"""

from __future__ import annotations

import re

from .. import deploy_rules as rules

NOT_SERVED = "^/(" + "|".join(re.escape(name) for name in rules.NOT_SERVED) + ")$"


def _types() -> str:
    by_type: dict[str, list[str]] = {}
    for suffix, media_type in rules.MEDIA_TYPES.items():
        by_type.setdefault(media_type.split(";")[0], []).append(suffix.lstrip("."))
    return "\n".join(f"        {media_type} {' '.join(suffixes)};" for media_type, suffixes in by_type.items())


def _headers(cache_control: str) -> str:
    headers = {"Cache-Control": cache_control, "Vary": "Accept-Encoding", **rules.security_headers()}
    return "\n".join(f'        add_header {name} "{value}" always;' for name, value in headers.items())


def render() -> str:
    return f"""# nginx server block for the folder `bsconnects build` wrote (DEPLOY.md says why each rule).
# Copy the folder to `root`, include this file from nginx.conf's http block (or put it in
# sites-enabled/), and serve it over https on the same domain as b+s Connects.
# The .br siblings need the brotli static module (Debian/Ubuntu: libnginx-mod-http-brotli-static);
# without it, delete the `brotli_static` line and the .gz siblings are served instead.
server {{
    listen 80;
    # Over https (Dynamics pages are https):
    # listen 443 ssl; ssl_certificate /etc/ssl/certs/integration.pem; ssl_certificate_key /etc/ssl/private/x.key;
    server_name _;
    root /srv/bsconnects-integration;
    index index.html;

    types {{
{_types()}
    }}
    default_type {rules.DEFAULT_MEDIA_TYPE};
    charset utf-8;

    # <file>.br or <file>.gz, with Content-Encoding, to a request that accepts it; a Range request
    # (browsers send it with Accept-Encoding: identity) gets the plain file.
    brotli_static on;
    gzip_static on;

    location / {{
{_headers(rules.REVALIDATE)}
    }}

    # Content-named files (a new build has new names): cached for a year, never revalidated.
    location /{rules.IMMUTABLE_FOLDER}/ {{
{_headers(rules.IMMUTABLE)}
    }}

    # For the person deploying, not for browsers.
    location ~ {NOT_SERVED} {{
        return 404;
    }}
}}
"""
