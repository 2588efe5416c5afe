"""A private sshd on 127.0.0.1, so that ``bench_frames.py --ssh`` measures what crosses SSH.

``LocalSshd().start()`` finds ``sshd`` (installing ``openssh-server`` with ``apt-get`` only when it
is missing, and saying so on stderr; that needs root), then makes a temporary folder holding its
own host key, a client key, an ``authorized_keys`` file, an ``sshd_config`` and the pid and log
files, and starts ``sshd -D`` on ``127.0.0.1`` only, on a free port, with key-only login. Nothing
under ``/etc/ssh`` is used or changed and no system sshd is started or stopped. When run as root,
sshd's privilege-separation folder (``/run/sshd``) is created if it is missing, as the
``openssh-server`` service would; without root, sshd runs as the user and lets only that user in
(and can give the session a terminal only where ``/dev/pts`` is mounted with ``gid=5``, as usual).

``wrap(argv, env, cwd)`` turns a command into ``ssh -t -t localhost`` running it there in ``cwd``
with ``env`` exported over the SSH session's own environment (which keeps ``SSH_CONNECTION``,
``SSH_TTY``... as a real session has them). The environment goes in a script in the private folder
(mode 0600), not on a command line; it also writes the command's pid to a file beside it.
``end_commands()`` ends every such command still running (its session: sshd starts each in one
of its own, so ending sshd's process group does not reach them, and a remote program may outlive
a dropped connection). ``stop()`` does that, ends sshd's process group and removes the folder; it
is registered with ``atexit`` and is safe to call twice.
"""

from __future__ import annotations

import atexit
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SBIN = ("/usr/sbin", "/usr/local/sbin", "/sbin")
SKIP_ENV = ("PWD", "OLDPWD", "SHLVL", "_")
"""Variables of this process's shell that a command started in an SSH session does not inherit."""
MARK = "BENCH_FRAMES_SSH_RUN"
"""Exported to every wrapped command (its script's path): only processes holding it are ended."""


class SshError(Exception):
    """The private sshd could not be installed, started or logged into."""


def find_sshd() -> str | None:
    """sshd's absolute path (sshd refuses to start by a relative one), or None."""
    path = os.pathsep.join([os.environ.get("PATH", ""), *SBIN])
    found = shutil.which("sshd", path=path)
    return str(Path(found).resolve()) if found else None


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def install_sshd() -> str:
    """Install openssh-server with apt-get (root only); return sshd's path."""
    if os.geteuid() != 0:
        raise SshError("sshd is missing: install openssh-server (apt-get needs root)")
    if not shutil.which("apt-get"):
        raise SshError("sshd is missing and there is no apt-get to install openssh-server")
    print("bench_frames: sshd is missing; installing openssh-server with apt-get",
          file=sys.stderr, flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "openssh-server"]
    done = None
    for commands in ([install], [["apt-get", "update", "-q"], install]):
        for command in commands:
            done = subprocess.run(command, env=env, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True)
            if done.returncode:
                break
        if done.returncode == 0:
            break
    sshd = find_sshd()
    if done.returncode or not sshd:
        raise SshError(f"installing openssh-server failed: {last_line(done.stdout + done.stderr)}")
    return sshd


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def running(pid: int) -> bool:
    """Whether the process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


class LocalSshd:
    """sshd on 127.0.0.1 with its own keys and config in a temporary folder."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.ssh = ""
        self.scripts = 0

    # -- starting ----------------------------------------------------------------------
    def start(self, timeout: float = 15.0) -> LocalSshd:
        """Start sshd and check that a key login works; raise SshError if not."""
        sshd = find_sshd() or install_sshd()
        ssh, keygen = shutil.which("ssh"), shutil.which("ssh-keygen")
        if not ssh or not keygen:
            raise SshError("ssh or ssh-keygen is missing: install openssh-client")
        self.ssh = ssh
        atexit.register(self.stop)
        self.folder = Path(tempfile.mkdtemp(prefix="bench-sshd-"))
        folder = self.folder
        for name in ("host_key", "client_key"):
            made = subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-C", "bench_frames",
                                   "-f", str(folder / name)], capture_output=True, text=True,
                                  stdin=subprocess.DEVNULL)
            if made.returncode:
                raise SshError(f"ssh-keygen failed: {last_line(made.stderr)}")
        shutil.copy(folder / "client_key.pub", folder / "authorized_keys")
        self.port = free_port()
        (folder / "sshd_config").write_text("\n".join([
            f"Port {self.port}",
            "ListenAddress 127.0.0.1",
            f"HostKey {folder / 'host_key'}",
            f"PidFile {folder / 'sshd.pid'}",
            f"AuthorizedKeysFile {folder / 'authorized_keys'}",
            "StrictModes no",  # the temporary folder lies under a world-writable /tmp
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            f"AllowUsers {self.user()}",
            # Without PAM, sshd refuses an account whose password field starts with "!" (or
            # that it cannot read when not root) as locked; the system's sshd uses PAM too.
            f"UsePAM {'yes' if Path('/etc/pam.d/sshd').exists() else 'no'}",
            "UseDNS no",
            "PrintMotd no",
            "PrintLastLog no",
            "X11Forwarding no",
            "AllowTcpForwarding no",
            "AllowAgentForwarding no",
            "PermitTunnel no",
            "",
        ]))
        if os.geteuid() == 0 and not os.path.isdir("/run/sshd"):
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # privilege separation
        check = subprocess.run([sshd, "-t", "-f", str(folder / "sshd_config")],
                               capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if check.returncode:
            raise SshError(f"sshd rejects its config: {last_line(check.stderr)}")
        self.proc = subprocess.Popen(
            [sshd, "-D", "-f", str(folder / "sshd_config"), "-E", str(folder / "sshd.log")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        deadline = time.monotonic() + timeout
        while not self.listening():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SshError(f"sshd did not start on 127.0.0.1:{self.port}: {self.log_tail()}")
            time.sleep(0.05)
        # With a terminal, as the measured commands get one: a sshd that is not root can give
        # one only where /dev/pts hands new terminals to the tty group (gid=5, as is usual).
        login = subprocess.run(self.ssh_argv() + ["true"], capture_output=True,
                               text=True, stdin=subprocess.DEVNULL, timeout=timeout)
        if login.returncode:
            said = last_line(login.stderr + "\n" + login.stdout)
            raise SshError(f"ssh to 127.0.0.1:{self.port} failed: {said} "
                           f"(sshd: {self.log_tail()})")
        return self

    @staticmethod
    def user() -> str:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name

    def listening(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def log_tail(self) -> str:
        """sshd's last complaint in its log, else its last line."""
        try:
            text = (self.folder / "sshd.log").read_text(errors="replace")
        except (OSError, TypeError):
            return "(no log)"
        bad = [line for line in text.splitlines()
               if any(word in line for word in ("failed", "error", "fatal", "not allowed"))]
        return bad[-1].strip() if bad else last_line(text)

    # -- commands ----------------------------------------------------------------------
    def ssh_argv(self) -> list[str]:
        """ssh -t -t to the private sshd: no user config, no prompts, no known_hosts written."""
        return [self.ssh, "-F", "/dev/null",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                "-o", "AddressFamily=inet",  # sshd listens on 127.0.0.1, not on ::1
                "-i", str(self.folder / "client_key"), "-p", str(self.port),
                "-t", "-t", "localhost"]

    def wrap(self, argv: list[str], env: dict[str, str], cwd: str) -> list[str]:
        """``argv`` run through ``ssh -t -t localhost`` in ``cwd`` with ``env`` exported."""
        self.scripts += 1
        script = self.folder / f"run-{self.scripts}.sh"
        exports = [f"export {k}={shlex.quote(v)}" for k, v in sorted(env.items())
                   if k.isidentifier() and k not in SKIP_ENV and not k.startswith("SSH_")]
        exports.append(f"export {MARK}={shlex.quote(str(script))}")
        pid_file = shlex.quote(f"{script}.pid")
        script.write_text("\n".join([*exports, f"cd {shlex.quote(cwd)} || exit 1",
                                     f"echo $$ > {pid_file}", f"exec {shlex.join(argv)}", ""]))
        script.chmod(0o600)
        return [*self.ssh_argv(), f"exec /bin/sh {shlex.quote(str(script))}"]

    def end_commands(self, wait: float = 1.0) -> int:
        """End the wrapped commands still running (their process groups); return how many."""
        if self.folder is None:
            return 0
        groups = []
        for pid_file in self.folder.glob("run-*.sh.pid"):
            try:
                pid = int(pid_file.read_text())
                environ = Path(f"/proc/{pid}/environ").read_bytes()
            except (OSError, ValueError):
                pid_file.unlink(missing_ok=True)
                continue
            if f"{MARK}={pid_file.with_suffix('')}".encode() in environ.split(b"\0"):
                groups.append(pid)
            else:
                pid_file.unlink(missing_ok=True)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in groups:
                try:
                    os.killpg(pid, sig)
                except (ProcessLookupError, PermissionError):
                    pass
            deadline = time.monotonic() + wait
            while sig == signal.SIGTERM and time.monotonic() < deadline and any(
                    running(pid) for pid in groups):
                time.sleep(0.05)
        return len(groups)

    # -- stopping ----------------------------------------------------------------------
    def stop(self) -> None:
        """End sshd (its whole process group) and remove the temporary folder."""
        self.end_commands()
        proc, self.proc = self.proc, None
        if proc is not None:
            for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 2.0)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        folder, self.folder = self.folder, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
