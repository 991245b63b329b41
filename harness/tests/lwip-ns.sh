#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# lwip-ns.sh - run by lwip.sh inside a fresh network namespace (unshare -rn):
#   lwip-ns.sh LWIP_TRY SCENARIO PCAP
# Makes a TAP device (host side 198.18.0.1/24, up), runs LWIP_TRY SCENARIO
# on it (which captures it into PCAP) and prints what it prints; deletes
# the device on the way out (the namespace, and whatever would be left in
# it, ends with us).  lwip-try bounds its own waits; timeout bounds it.
set -u
try=$1 scenario=$2 pcap=$3
tap=tap0
port=5001

trap 'ip link del "$tap" 2>/dev/null' EXIT
ip link set lo up &&
	ip tuntap add dev "$tap" mode tap &&
	ip addr add 198.18.0.1/24 dev "$tap" &&
	ip link set "$tap" up || { echo "lwip-ns: cannot set up the TAP device $tap"; exit 77; }
timeout 30 "$try" "$scenario" "$tap" "$port" "$pcap"
