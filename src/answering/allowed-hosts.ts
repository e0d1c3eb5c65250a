// Which hosts an answer's links and images may point at (ALLOWED_LINK_HOSTS),
// judged the same way by the server's link guard and by the chat page, which
// imports this file too.
import { normalizeUri } from "micromark-util-sanitize-uri";

/** Hosts that links may point at; each also allows its subdomains. */
export type HostAllowlist = readonly string[];

/** Parses a comma-separated host list; a host also allows its subdomains. */
export function hostAllowlist(hosts: string): HostAllowlist {
  return hosts
    .split(",")
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
}

/** An absolute http(s) URL (or a mail address) on an allowed host or its subdomain. */
export function isAllowed(target: string, allowed: HostAllowlist): boolean {
  let url: URL;
  try {
    // Judged as a renderer writes it into href: "https://host\" becomes
    // "https://host%5C", no longer the host it seemed to name.
    url = new URL(normalizeUri(target));
  } catch {
    return false;
  }
  let host: string;
  if (url.protocol === "https:" || url.protocol === "http:") host = url.hostname;
  else if (url.protocol === "mailto:" && url.search === "")
    host = url.pathname.slice(url.pathname.lastIndexOf("@") + 1);
  else return false;
  host = host.toLowerCase().replace(/\.$/, "");
  return allowed.some((entry) => host === entry || host.endsWith(`.${entry}`));
}
