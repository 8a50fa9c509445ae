"""staticwebapp.config.json: the rules for Azure Static Web Apps.

Static Web Apps compresses responses itself; this file gives it the types it does not know, the
two cache rules and the security headers.
"""

from __future__ import annotations

import json

from .. import deploy_rules as rules

# Types Static Web Apps' own table may lack or get wrong for this folder.
_TYPES = (".wasm", ".mjs", ".toml", ".py", ".whl", ".bin")


def render() -> str:
    config = {
        "globalHeaders": {"Cache-Control": rules.REVALIDATE, "Vary": "Accept-Encoding", **rules.security_headers()},
        "routes": [{"route": f"/{rules.IMMUTABLE_FOLDER}/*", "headers": {"Cache-Control": rules.IMMUTABLE}}],
        "mimeTypes": {suffix: rules.MEDIA_TYPES[suffix] for suffix in _TYPES},
    }
    return json.dumps(config, indent=2) + "\n"
