#!/bin/busybox sh
# SPDX-License-Identifier: BSD-3-Clause
# init.sh - the guest's /init (closeprobe run --kernel): mount what
# closeprobe needs, load the modules, run the cases as the host asked,
# send the evidence back and power off.  Built into the initramfs (as a C
# string) by harness/guest/local.mk.
#
# Between the kernel's lines on the console (ttyS0) it says, for the host
# to follow and time the phases:
#   @closeprobe-guest ready RELEASE UPTIME   the kernel booted, init runs
#   @closeprobe-guest module-failed FILE     insmod refused FILE
#   @closeprobe-guest modules UPTIME         the modules are loaded
#   ...closeprobe's own output...
#   @closeprobe-guest ran STATUS UPTIME      closeprobe ended with STATUS
#   @closeprobe-guest sent CHANNEL UPTIME    the archive went out
# The archive (see archive.h) goes to the virtio port named
# closeprobe.archive, or to ttyS1 when the kernel has no virtio console.
#
# /closeprobe/image.conf (from the image) sets GUEST_RELEASE,
# GUEST_MODULES, GUEST_LIBRARY_PATH; /closeprobe/run.conf (from the run)
# sets CLOSEPROBE_CWD, CLOSEPROBE_CAPTURES and the arguments (set --), or
# for a peer guest CLOSEPROBE_PEER_ADDR and CLOSEPROBE_PEER_ADDR6 (eth0's
# addresses, CIDR) and GUEST_MODULES again (the virtio ones alone).

# busybox's commands are links in /busybox, made with the image.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/busybox
[ -e /busybox/mount ] || /bin/busybox --install -s /busybox
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

uptime() {
	cut -d' ' -f1 /proc/uptime
}

. /closeprobe/image.conf
. /closeprobe/run.conf
export LD_LIBRARY_PATH="$GUEST_LIBRARY_PATH"
echo "@closeprobe-guest ready $(uname -r) $(uptime)"
# Kernel lines would cut into ours: from now on they go to dmesg only.
echo 1 >/proc/sys/kernel/printk

out=/tmp/closeprobe-out
mkdir -p "$out/meta"
for m in $GUEST_MODULES; do
	f=/lib/modules/$GUEST_RELEASE/$m
	# busybox insmod takes plain module files only.
	case $f in
	*.ko.xz) xz -dc "$f" >/tmp/module.ko && insmod /tmp/module.ko ;;
	*.ko.gz) gzip -dc "$f" >/tmp/module.ko && insmod /tmp/module.ko ;;
	*) insmod "$f" ;;
	esac 2>>"$out/meta/modules" || echo "@closeprobe-guest module-failed $m"
done
rm -f /tmp/module.ko
ip link set lo up
echo "@closeprobe-guest modules $(uptime)"

# A peer guest (closeprobe run --peer-kernel): "closeprobe peer" speaks on
# the virtio port closeprobe.peer (qemu's standard input and output), the
# case's connection comes on eth0; one case, then off.
if [ -n "${CLOSEPROBE_PEER_ADDR:-}" ]; then
	# No duplicate address detection: the address is usable at once (busybox's
	# ip has no "nodad").
	echo 0 >/proc/sys/net/ipv6/conf/eth0/accept_dad
	ip link set eth0 up && ip addr add "$CLOSEPROBE_PEER_ADDR" dev eth0 &&
		{ [ -z "${CLOSEPROBE_PEER_ADDR6:-}" ] ||
		    ip addr add "$CLOSEPROBE_PEER_ADDR6" dev eth0; } ||
		echo "@closeprobe-guest peer-link-failed"
	port=
	for d in /sys/class/virtio-ports/*; do
		[ "$(cat "$d/name" 2>/dev/null)" = closeprobe.peer ] && port=/dev/${d##*/}
	done
	echo "@closeprobe-guest peer ${port:-none} $(uptime)"
	# One open of the port, read and write: a virtio port opens once.
	[ -n "$port" ] && closeprobe peer <>"$port" >&0
	echo "@closeprobe-guest ran $? $(uptime)"
	poweroff -f
fi

mkdir -p "$CLOSEPROBE_CWD" && cd "$CLOSEPROBE_CWD" && mkdir -p "$CLOSEPROBE_CAPTURES" &&
	ln -s "$(realpath "$CLOSEPROBE_CAPTURES")" "$out/captures" && {
	closeprobe run --captures "$CLOSEPROBE_CAPTURES" --json "$out/meta/json" "$@" \
		2>"$out/meta/stderr"
	echo $? >"$out/meta/status"
} | tee "$out/meta/stdout"
status=$(cat "$out/meta/status" 2>/dev/null)
echo "@closeprobe-guest ran ${status:-none} $(uptime)"
dmesg >"$out/meta/dmesg"
uname -r >"$out/meta/release"

port=
for d in /sys/class/virtio-ports/*; do
	[ "$(cat "$d/name" 2>/dev/null)" = closeprobe.archive ] && port=/dev/${d##*/}
done
if [ -z "$port" ]; then
	port=/dev/ttyS1
	stty -F "$port" raw -echo
fi
i=0
while [ ! -c "$port" ] && [ "$i" -lt 100 ]; do
	usleep 20000
	i=$((i + 1))
done

cd "$out"
set --
for f in captures/* meta/*; do
	[ -f "$f" ] && set -- "$@" "$f"
done
{
	echo "@closeprobe-archive 1"
	echo "files $#"
	stat -c '%s %n' "$@"
	sha256sum "$@"
	echo data
	cat "$@"
	echo "@closeprobe-archive end"
} >"$port"
echo "@closeprobe-guest sent ${port#/dev/} $(uptime)"
poweroff -f
