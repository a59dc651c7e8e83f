#!/usr/bin/env python3
"""Zero broken internal links, images and stylesheets in a built site.

Usage: scripts/check-links.py PUBLIC_DIR [--base-path /kepu/]

Every href/src/srcset in every .html file that points inside the site (relative, or root-absolute
like /kepu/assets/site.css, which 404.html uses) must name an existing file; a link to a folder needs
its index.html. Fragments (#m-5) must name an id on the target page. Root-absolute links start with
the base path: given, else read from sitemap.xml's absolute URLs, else "/". Exits 1 on failure.
"""
import os
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit


class Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (tag, attr, value, line)
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            if tag == "a" and name == "name":
                self.ids.add(value)
            if name in ("href", "src") and tag in ("a", "link", "img", "script", "source", "iframe", "area"):
                self.links.append((tag, name, value, line))
            if name == "srcset":
                for part in value.split(","):
                    url = part.strip().split(" ")[0]
                    if url:
                        self.links.append((tag, name, url, line))

    handle_startendtag = handle_starttag


def parse(path):
    c = Collector()
    with open(path, encoding="utf-8") as f:
        c.feed(f.read())
    return c


def base_path(root, args):
    if "--base-path" in args:
        i = args.index("--base-path")
        path = args[i + 1]
    else:
        path = "/"
        sitemap = os.path.join(root, "sitemap.xml")
        if os.path.isfile(sitemap):
            locs = re.findall(r"<loc>https?://[^/<]+(/[^<]*)</loc>", open(sitemap, encoding="utf-8").read())
            if locs:
                path = min(locs, key=len)
                path = path[: path.rfind("/") + 1]
    return path if path.endswith("/") else path + "/"


def main():
    args = sys.argv[1:]
    if not args or not os.path.isdir(args[0]):
        print(__doc__)
        return 2
    root = os.path.realpath(args[0])
    base = base_path(root, args)
    pages = []
    for dirpath, _, files in os.walk(root):
        for name in files:
            if name.endswith(".html"):
                pages.append(os.path.join(dirpath, name))
    pages.sort()
    parsed = {}
    broken = []
    checked = 0
    for page in pages:
        parsed.setdefault(page, parse(page))
        for tag, attr, value, line in parsed[page].links:
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//"):
                continue  # external (http:, https:, mailto:, data:) — not ours to check
            checked += 1
            if parts.path == "":
                target = page
            elif parts.path.startswith("/"):
                if not parts.path.startswith(base):
                    broken.append(f"{os.path.relpath(page, root)}:{line}: <{tag} {attr}=\"{value}\"> is outside the base path {base}")
                    continue
                target = os.path.join(root, unquote(parts.path[len(base):]))
            else:
                target = os.path.join(os.path.dirname(page), unquote(parts.path))
            target = os.path.normpath(target)
            rel = os.path.relpath(page, root)
            if not (target == root or target.startswith(root + os.sep)):
                broken.append(f"{rel}:{line}: <{tag} {attr}=\"{value}\"> leaves the site")
                continue
            if os.path.isdir(target):
                broken.append(f"{rel}:{line}: <{tag} {attr}=\"{value}\"> names a folder; link to its index.html (file:// has no index)")
                continue
            if not os.path.isfile(target):
                broken.append(f"{rel}:{line}: <{tag} {attr}=\"{value}\"> → missing {os.path.relpath(target, root)}")
                continue
            if parts.fragment and target.endswith(".html"):
                info = parsed.setdefault(target, parse(target))
                if unquote(parts.fragment) not in info.ids:
                    broken.append(f"{rel}:{line}: <{tag} {attr}=\"{value}\"> → no id \"{parts.fragment}\"")
    for b in broken:
        print(b)
    print(f"check-links: {len(pages)} pages, {checked} internal links, {len(broken)} broken (base path {base})")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
