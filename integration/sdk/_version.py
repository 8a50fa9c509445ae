"""The SDK version, sent in the protocol's ``hello`` so the shim can log which Python side answered."""

SDK_VERSION = "0.1.0"
