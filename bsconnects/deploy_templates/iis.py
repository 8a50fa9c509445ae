"""web.config: the rules for IIS 10 (with the URL Rewrite module, which picks the siblings).

IIS serves only the file types it has a mapping for, so every type of the folder is mapped (a
sibling's own .br/.gz type is replaced on the way out by the plain file's, from a rewrite map).
The inbound rules answer a request with its .br (.gz) sibling when the request accepts that
encoding and asks for no range; the outbound rules then set Content-Encoding and Content-Type.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from .. import deploy_rules as rules


def _mime_maps() -> str:
    types = {**{suffix: value.split(";")[0] for suffix, value in rules.MEDIA_TYPES.items()},
             **{suffix: rules.DEFAULT_MEDIA_TYPE for suffix in rules.SIBLING_SUFFIXES}}
    return "\n".join(f'      <remove fileExtension="{suffix}" />\n'
                     f'      <mimeMap fileExtension="{suffix}" mimeType="{value}" />'
                     for suffix, value in types.items())


def _sibling_types() -> str:
    return "\n".join(f'          <add key="{suffix.lstrip(".")}" value="{value.split(";")[0]}" />'
                     for suffix, value in rules.MEDIA_TYPES.items())


def _inbound(encoding: str, suffix: str) -> str:
    return f"""        <rule name="{encoding} sibling" stopProcessing="true">
          <match url="^(.*)$" />
          <conditions>
            <add input="{{HTTP_ACCEPT_ENCODING}}" pattern="\\b{encoding}\\b" />
            <add input="{{HTTP_RANGE}}" pattern="." negate="true" />
            <add input="{{REQUEST_FILENAME}}{suffix}" matchType="IsFile" />
          </conditions>
          <action type="Rewrite" url="{{R:1}}{suffix}" />
        </rule>"""


def _outbound(encoding: str) -> str:
    return f"""        <rule name="{encoding} encoding" preCondition="{encoding} sibling">
          <match serverVariable="RESPONSE_Content_Encoding" pattern=".*" />
          <action type="Rewrite" value="{encoding}" />
        </rule>"""


def _preconditions() -> str:
    escaped = [suffix.replace(".", "\\.") for suffix in rules.SIBLING_SUFFIXES]
    blocks = [f"""          <preCondition name="{encoding} sibling">
            <add input="{{HTTP_URL}}" pattern="{pattern}$" />
          </preCondition>""" for (encoding, _), pattern in zip(rules.ENCODINGS, escaped, strict=True)]
    blocks.append(f"""          <preCondition name="a sibling">
            <add input="{{HTTP_URL}}" pattern="({'|'.join(escaped)})$" />
          </preCondition>""")
    return "\n".join(blocks)


def _custom_headers() -> str:
    headers = {"Vary": "Accept-Encoding", **rules.security_headers()}
    return "\n".join(f"        <add name={quoteattr(name)} value={quoteattr(value)} />"
                     for name, value in headers.items())


def render() -> str:
    inbound = "\n".join(_inbound(encoding, suffix) for encoding, suffix in rules.ENCODINGS)
    outbound = "\n".join(_outbound(encoding) for encoding, _ in rules.ENCODINGS)
    siblings = "|".join(suffix.lstrip(".") for suffix in rules.SIBLING_SUFFIXES)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<!-- IIS 10 rules for the folder `bsconnects build` wrote (DEPLOY.md says why each rule).
     Needs the IIS URL Rewrite module, which answers with the pre-compressed .br/.gz siblings. -->
<configuration>
  <system.webServer>
    <staticContent>
      <clientCache cacheControlMode="DisableCache" />
{_mime_maps()}
    </staticContent>
    <!-- The folder is compressed once, at build time: IIS must not compress it again. -->
    <urlCompression doStaticCompression="false" doDynamicCompression="false" />
    <httpProtocol>
      <customHeaders>
{_custom_headers()}
      </customHeaders>
    </httpProtocol>
    <rewrite>
      <rewriteMaps>
        <rewriteMap name="plain types" defaultValue="{rules.DEFAULT_MEDIA_TYPE}">
{_sibling_types()}
        </rewriteMap>
      </rewriteMaps>
      <rules>
{inbound}
      </rules>
      <outboundRules rewriteBeforeCache="true">
{outbound}
        <rule name="plain type" preCondition="a sibling">
          <match serverVariable="RESPONSE_Content_Type" pattern=".*" />
          <conditions>
            <add input="{{HTTP_URL}}" pattern="\\.([A-Za-z0-9]+)\\.({siblings})$" />
          </conditions>
          <action type="Rewrite" value="{{plain types:{{C:1}}}}" />
        </rule>
        <preConditions>
{_preconditions()}
        </preConditions>
      </outboundRules>
    </rewrite>
  </system.webServer>
  <!-- Content-named files (a new build has new names): cached for a year, never revalidated. -->
  <location path="{rules.IMMUTABLE_FOLDER}">
    <system.webServer>
      <staticContent>
        <clientCache cacheControlMode="UseMaxAge" cacheControlMaxAge="365.00:00:00"
                     cacheControlCustom="public, immutable" />
      </staticContent>
    </system.webServer>
  </location>
</configuration>
"""
