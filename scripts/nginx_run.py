"""A real nginx for the checks, on 127.0.0.1 on a free port, everything it writes in a temporary folder.

`start(tmp, block, name)` writes `block` (a server's directives: the README's configuration, with its paths
filled in) as TMP/NAME, an nginx.conf that includes it (`daemon off;`, pid, logs and temp folders under TMP),
tests the configuration, starts nginx with `-p TMP -c TMP/nginx.conf` and waits until it answers. It returns
the process and the port; the caller stops it by its PID. Used by scripts/check-nginx.py (the public site) and
Tests/KepuDeskTests/browser_desk.py (the staff desk).
"""
import os
import shutil
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(tmp, block, name):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    port = free_port()
    with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
        f.write(block)
    user = "user root;\n" if os.geteuid() == 0 else ""
    temps = "".join(f"{k}_temp_path {tmp}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    with open(os.path.join(tmp, "nginx.conf"), "w", encoding="utf-8") as f:
        f.write(f"""{user}daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log {tmp}/access.log;
  {temps}
  server {{
    listen 127.0.0.1:{port};
    server_name localhost;
    include {tmp}/{name};
  }}
}}
""")
    test = subprocess.run([nginx, "-t", "-p", tmp, "-c", os.path.join(tmp, "nginx.conf")], capture_output=True, text=True)
    if test.returncode != 0:
        raise RuntimeError(test.stderr)
    proc = subprocess.Popen([nginx, "-p", tmp, "-c", os.path.join(tmp, "nginx.conf")])
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("nginx did not start")
