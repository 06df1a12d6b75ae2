"""The emulator's session-manager-plugin: started exactly as AWS's plugin is, it plays the
other end of a session the emulator opened (exec_sessions.py), so the tests and the demo
run exec and port forwarding end to end without AWS.

  session_plugin.py --version
  session_plugin.py <session JSON | AWS_SSM_START_SESSION_RESPONSE> <region> StartSession
                    <profile> <parameters JSON> <endpoint>

An exec session (parameters without a DocumentName) is a small shell on its terminal: it
prints what the real plugin prints, then answers `echo`, `hostname`, `pwd`, `ls`, `env`,
`size` (the terminal's rows and columns, to check resizes), `exit [N]`; anything else is
"not found". A port-forwarding session listens on localPortNumber and echoes every byte back.

Each start appends one JSON line to $ECSDECK_PLUGIN_LOG, if set: the arguments with the
session's token replaced by "<token>", whether the token came through the environment, and
the session id — so tests can check what the app passed without the log holding a secret.
The token itself goes to $ECSDECK_PLUGIN_TOKENS, if set (a file of the test's own, outside
what it scans for secrets). $ECSDECK_PLUGIN_EXIT_AFTER ends a port forward after that many
seconds (a CLI test cannot press Ctrl-C).
"""

import json
import os
import socket
import sys
import threading

VERSION = os.environ.get("ECSDECK_PLUGIN_VERSION", "1.2.650.0")
ENV_VAR = "AWS_SSM_START_SESSION_RESPONSE"


def version_tuple(text):
    return tuple(int(p) for p in text.strip().split("."))


def session_of(first):
    if first == ENV_VAR:
        # Plugins up to 1.2.497.0 read only the session's JSON here, as the real ones do.
        if version_tuple(VERSION) <= (1, 2, 497, 0):
            print(f"Cannot perform start session: invalid session {first!r}", file=sys.stderr)
            sys.exit(1)
        return json.loads(os.environ.get(ENV_VAR, "{}")), True
    return json.loads(first), False


def record(args, session, via_env, parameters):
    token = session.get("TokenValue") or session.get("tokenValue") or ""
    tokens = os.environ.get("ECSDECK_PLUGIN_TOKENS")
    if tokens and token:
        with open(tokens, "a", encoding="utf-8") as out:
            out.write(token + "\n")
    path = os.environ.get("ECSDECK_PLUGIN_LOG")
    if not path:
        return
    shown = [a.replace(token, "<token>") if token else a for a in args]
    entry = {
        "args": shown,
        "tokenViaEnv": via_env,
        "tokenInArgs": bool(token) and any(token in a for a in args),
        "sessionId": session.get("SessionId") or session.get("sessionId"),
        "parameters": parameters,
        "term": os.environ.get("TERM"),
    }
    with open(path, "a", encoding="utf-8") as log:
        log.write(json.dumps(entry) + "\n")


def shell(session_id, target):
    task = target.split("_")[1] if "_" in target else "task"
    out = sys.stdout
    out.write(f"\r\nStarting session with SessionId: {session_id}\r\n")
    out.flush()
    env = {"HOSTNAME": task[:12], "APP_ENV": "production", "PORT": "8080"}
    while True:
        out.write("/app # ")
        out.flush()
        line = sys.stdin.readline()
        if not line:
            break
        words = line.split()
        if not words:
            continue
        command, rest = words[0], words[1:]
        if command == "exit":
            code = int(rest[0]) if rest and rest[0].isdigit() else 0
            out.write(f"\r\n\r\nExiting session with sessionId: {session_id}.\r\n\r\n")
            out.flush()
            sys.exit(code)
        elif command == "echo":
            out.write(" ".join(rest) + "\r\n")
        elif command == "hostname":
            out.write(task[:12] + "\r\n")
        elif command == "pwd":
            out.write("/app\r\n")
        elif command == "ls":
            out.write("\x1b[1;34mconfig\x1b[0m  node_modules  package.json  server.js\r\n")
        elif command == "env":
            out.write("".join(f"{k}={v}\r\n" for k, v in env.items()))
        elif command == "size":
            try:
                size = os.get_terminal_size(sys.stdin.fileno())
                out.write(f"{size.lines} {size.columns}\r\n")
            except OSError as error:
                out.write(f"size: {error}\r\n")
        else:
            out.write(f"sh: {command}: not found\r\n")
        out.flush()


def echo_client(conn):
    with conn:
        while True:
            data = conn.recv(65536)
            if not data:
                return
            conn.sendall(data)


def forward(session_id, parameters):
    port = int(parameters["localPortNumber"][0])
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(16)
    print(f"Starting session with SessionId: {session_id}", flush=True)
    print(f"Port {port} opened for sessionId {session_id}.", flush=True)
    print("Waiting for connections...", flush=True)
    exit_after = os.environ.get("ECSDECK_PLUGIN_EXIT_AFTER")
    if exit_after:
        threading.Timer(float(exit_after), lambda: os._exit(0)).start()
    while True:
        conn, _ = server.accept()
        threading.Thread(target=echo_client, args=(conn,), daemon=True).start()


def main():
    args = sys.argv[1:]
    if args[:1] == ["--version"]:
        print(VERSION)
        return
    if not args:
        print("The Session Manager plugin was installed successfully. Use the AWS CLI to start a session.")
        return
    if len(args) < 6 or args[2] != "StartSession":
        print(f"unexpected arguments: {len(args)}", file=sys.stderr)
        sys.exit(2)
    session, via_env = session_of(args[0])
    request = json.loads(args[4])
    record(args, session, via_env, request)
    session_id = session.get("SessionId") or session.get("sessionId") or "unknown"
    if request.get("DocumentName"):
        forward(session_id, request.get("Parameters", {}))
    else:
        shell(session_id, request.get("Target", ""))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
