"""What ingest may fetch: the URL and address policy, without any I/O.

A feed or a pushed article names URLs that Raqib then requests, so a hostile
feed could point it at the network it runs in (cloud metadata, an admin port
on loopback, an intranet service). The fetcher therefore checks every URL
before the request and on every redirect:

* the scheme is http or https, the URL has a host and carries no credentials;
* every address the host resolves to is public (``ipaddress``'s ``is_global``),
  unless the host (or host:port) is allow-listed or the address lies in an
  allow-listed network. IPv4-mapped IPv6 addresses are judged as IPv4.

The addresses checked are the addresses connected to (the fetcher pins them),
so a DNS answer that changes between check and connect cannot slip through.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from services.runtime.errors import RaqibError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Cloud instance-metadata addresses (AWS, GCP, Azure, OpenStack; AWS over IPv6).
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"),
            ipaddress.ip_address("100.100.100.200")}  # Alibaba Cloud


class Refused(RaqibError):  # noqa: N818 - a verdict, like SkipMessage
    """A request the policy does not allow; the message says why."""


def address_class(ip: IPAddress) -> str | None:
    """Why an address may not be fetched (``None``: it is public)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA:
        return "cloud metadata"
    if ip.is_loopback:
        return "loopback"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "non-public"
    return None


@dataclass(frozen=True)
class Target:
    """A URL that passed the static checks."""

    url: str
    scheme: str
    host: str
    port: int

    @property
    def literal(self) -> IPAddress | None:
        try:
            return ipaddress.ip_address(self.host)
        except ValueError:
            return None


@dataclass(frozen=True)
class Policy:
    allow_hosts: frozenset[str] = frozenset()
    allow_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    schemes: frozenset[str] = field(default_factory=lambda: frozenset({"http", "https"}))

    @classmethod
    def build(cls, allow_hosts: list[str], allow_networks: list[str]) -> Policy:
        return cls(frozenset(h.strip().lower().strip("[]") for h in allow_hosts),
                   tuple(ipaddress.ip_network(n, strict=False) for n in allow_networks))

    def target(self, url: str) -> Target:
        """The URL's scheme, host and port, or :class:`Refused`."""
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as exc:
            raise Refused(f"malformed URL {url[:200]!r}: {exc}") from exc
        scheme = parts.scheme.lower()
        if scheme not in self.schemes:
            raise Refused(f"scheme {scheme or '(none)'!r} not allowed (http and https only): {url[:200]}")
        if not parts.hostname:
            raise Refused(f"URL has no host: {url[:200]}")
        if parts.username is not None or parts.password is not None:
            raise Refused(f"URL carries credentials: {parts.hostname}")
        port = port or (443 if scheme == "https" else 80)
        return Target(url=url.strip(), scheme=scheme, host=parts.hostname.lower().rstrip("."), port=port)

    def host_allowed(self, target: Target) -> bool:
        return target.host in self.allow_hosts or f"{target.host}:{target.port}" in self.allow_hosts

    def check_address(self, target: Target, ip: IPAddress) -> None:
        """Raise :class:`Refused` unless ``target`` may be fetched from ``ip``."""
        kind = address_class(ip)
        if kind is None or self.host_allowed(target):
            return
        probe = getattr(ip, "ipv4_mapped", None) or ip
        if any(probe in net for net in self.allow_networks if net.version == probe.version):
            return
        named = "" if target.literal is not None else f" ({target.host} resolves to it)"
        mapped = getattr(ip, "ipv4_mapped", None)
        shown = f"{mapped} (as {ip})" if mapped is not None else str(ip)
        raise Refused(f"{kind} address {shown}{named} not allowed: {target.url[:200]}")

    def check_addresses(self, target: Target, addresses: list[str]) -> None:
        if not addresses:
            raise Refused(f"{target.host} resolves to no address")
        for a in addresses:
            self.check_address(target, ipaddress.ip_address(a.split("%", 1)[0]))
