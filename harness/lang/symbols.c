/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * symbols.c - names of roles, comparisons, errno values and signals (see
 * symbols.h), and the tables the parser reads them from; the names of
 * the kernel's TCP counters.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "parser-int.h"

/* Indexed by enum role_id. */
static const char *const role_words[] = {
	[ROLE_CLIENT] = "client",
	[ROLE_SERVER] = "server",
	[ROLE_CLIENT_CHILD] = "client.child",
	[ROLE_SERVER_CHILD] = "server.child",
};

_Static_assert(NELEMS(role_words) == ROLE_COUNT, "a name for every role");

/* Indexed by enum compare_op: how each is written back. */
static const char *const compare_names[] = {
	[COMPARE_EQ] = "=",
	[COMPARE_NE] = "!=",
	[COMPARE_LT] = "<",
	[COMPARE_LE] = "<=",
	[COMPARE_GT] = ">",
	[COMPARE_GE] = ">=",
};

_Static_assert(NELEMS(compare_names) == COMPARE_GE + 1,
    "a name for every comparison");

struct compare_word {
	const char *word;
	enum compare_op op;
};

static const struct compare_word compare_words[] = {
	{ "=", COMPARE_EQ },
	{ "==", COMPARE_EQ },
	{ "!=", COMPARE_NE },
	{ "<", COMPARE_LT },
	{ "<=", COMPARE_LE },
	{ ">", COMPARE_GT },
	{ ">=", COMPARE_GE },
};

/*
 * The counters "kernel NAME" may name, as Linux 6.x spells them: the
 * TcpExt line of /proc/net/netstat, then the Tcp line of /proc/net/snmp
 * (the two groups kcounters.c reads; taken from a 6.18 kernel).  A name
 * that is not here is refused, so a typo never passes as "+0".
 */
static const char *const counter_words[] = {
	/* TcpExt */
	"SyncookiesSent", "SyncookiesRecv", "SyncookiesFailed",
	"EmbryonicRsts", "PruneCalled", "RcvPruned", "OfoPruned",
	"OutOfWindowIcmps", "LockDroppedIcmps", "ArpFilter", "TW",
	"TWRecycled", "TWKilled", "PAWSActive", "PAWSEstab", "BeyondWindow",
	"TSEcrRejected", "PAWSOldAck", "PAWSTimewait", "DelayedACKs",
	"DelayedACKLocked", "DelayedACKLost", "ListenOverflows", "ListenDrops",
	"TCPHPHits", "TCPPureAcks", "TCPHPAcks", "TCPRenoRecovery",
	"TCPSackRecovery", "TCPSACKReneging", "TCPSACKReorder",
	"TCPRenoReorder", "TCPTSReorder", "TCPFullUndo", "TCPPartialUndo",
	"TCPDSACKUndo", "TCPLossUndo", "TCPLostRetransmit", "TCPRenoFailures",
	"TCPSackFailures", "TCPLossFailures", "TCPFastRetrans",
	"TCPSlowStartRetrans", "TCPTimeouts", "TCPLossProbes",
	"TCPLossProbeRecovery", "TCPRenoRecoveryFail", "TCPSackRecoveryFail",
	"TCPRcvCollapsed", "TCPBacklogCoalesce", "TCPDSACKOldSent",
	"TCPDSACKOfoSent", "TCPDSACKRecv", "TCPDSACKOfoRecv", "TCPAbortOnData",
	"TCPAbortOnClose", "TCPAbortOnMemory", "TCPAbortOnTimeout",
	"TCPAbortOnLinger", "TCPAbortFailed", "TCPMemoryPressures",
	"TCPMemoryPressuresChrono", "TCPSACKDiscard", "TCPDSACKIgnoredOld",
	"TCPDSACKIgnoredNoUndo", "TCPSpuriousRTOs", "TCPMD5NotFound",
	"TCPMD5Unexpected", "TCPMD5Failure", "TCPSackShifted", "TCPSackMerged",
	"TCPSackShiftFallback", "TCPBacklogDrop", "PFMemallocDrop",
	"TCPMinTTLDrop", "TCPDeferAcceptDrop", "IPReversePathFilter",
	"TCPTimeWaitOverflow", "TCPReqQFullDoCookies", "TCPReqQFullDrop",
	"TCPRetransFail", "TCPRcvCoalesce", "TCPOFOQueue", "TCPOFODrop",
	"TCPOFOMerge", "TCPChallengeACK", "TCPSYNChallenge",
	"TCPFastOpenActive", "TCPFastOpenActiveFail", "TCPFastOpenPassive",
	"TCPFastOpenPassiveFail", "TCPFastOpenListenOverflow",
	"TCPFastOpenCookieReqd", "TCPFastOpenBlackhole",
	"TCPSpuriousRtxHostQueues", "BusyPollRxPackets", "TCPAutoCorking",
	"TCPFromZeroWindowAdv", "TCPToZeroWindowAdv", "TCPWantZeroWindowAdv",
	"TCPSynRetrans", "TCPOrigDataSent", "TCPHystartTrainDetect",
	"TCPHystartTrainCwnd", "TCPHystartDelayDetect", "TCPHystartDelayCwnd",
	"TCPACKSkippedSynRecv", "TCPACKSkippedPAWS", "TCPACKSkippedSeq",
	"TCPACKSkippedFinWait2", "TCPACKSkippedTimeWait",
	"TCPACKSkippedChallenge", "TCPWinProbe", "TCPKeepAlive", "TCPMTUPFail",
	"TCPMTUPSuccess", "TCPDelivered", "TCPDeliveredCE", "TCPAckCompressed",
	"TCPZeroWindowDrop", "TCPRcvQDrop", "TCPWqueueTooBig",
	"TCPFastOpenPassiveAltKey", "TcpTimeoutRehash",
	"TcpDuplicateDataRehash", "TCPDSACKRecvSegs", "TCPDSACKIgnoredDubious",
	"TCPMigrateReqSuccess", "TCPMigrateReqFailure", "TCPPLBRehash",
	"TCPAORequired", "TCPAOBad", "TCPAOKeyNotFound", "TCPAOGood",
	"TCPAODroppedIcmps",
	/* Tcp */
	"RtoAlgorithm", "RtoMin", "RtoMax", "MaxConn", "ActiveOpens",
	"PassiveOpens", "AttemptFails", "EstabResets", "CurrEstab", "InSegs",
	"OutSegs", "RetransSegs", "InErrs", "OutRsts", "InCsumErrors"
};

struct wordset
symbols_counter_words(void)
{
	return WORDS(counter_words);
}

/* A name and its number: errno values, signals. */
struct named_value {
	const char *name;
	int value;
};

/* The first entry for a value is its name (EAGAIN, not EWOULDBLOCK). */
static const struct named_value errno_table[] = {
	{ "EOF", 0 },
	{ "ECONNRESET", ECONNRESET },
	{ "EPIPE", EPIPE },
	{ "ETIMEDOUT", ETIMEDOUT },
	{ "EAGAIN", EAGAIN },
	{ "EWOULDBLOCK", EWOULDBLOCK },
	{ "ECONNABORTED", ECONNABORTED },
	{ "ECONNREFUSED", ECONNREFUSED },
	{ "ENOTCONN", ENOTCONN },
	{ "EISCONN", EISCONN },
	{ "ESHUTDOWN", ESHUTDOWN },
	{ "EHOSTUNREACH", EHOSTUNREACH },
	{ "EHOSTDOWN", EHOSTDOWN },
	{ "ENETUNREACH", ENETUNREACH },
	{ "ENETDOWN", ENETDOWN },
	{ "ENETRESET", ENETRESET },
	{ "EINPROGRESS", EINPROGRESS },
	{ "EALREADY", EALREADY },
	{ "EADDRINUSE", EADDRINUSE },
	{ "EADDRNOTAVAIL", EADDRNOTAVAIL },
	{ "EAFNOSUPPORT", EAFNOSUPPORT },
	{ "EPROTO", EPROTO },
	{ "EPROTONOSUPPORT", EPROTONOSUPPORT },
	{ "ENOPROTOOPT", ENOPROTOOPT },
	{ "EOPNOTSUPP", EOPNOTSUPP },
	{ "EDESTADDRREQ", EDESTADDRREQ },
	{ "EMSGSIZE", EMSGSIZE },
	{ "ENOBUFS", ENOBUFS },
	{ "ENOMEM", ENOMEM },
	{ "ENOTSOCK", ENOTSOCK },
	{ "EBADF", EBADF },
	{ "EFAULT", EFAULT },
	{ "EINTR", EINTR },
	{ "EINVAL", EINVAL },
	{ "EIO", EIO },
	{ "EMFILE", EMFILE },
	{ "ENFILE", ENFILE },
	{ "EPERM", EPERM },
	{ "EACCES", EACCES },
};

static const struct named_value signal_table[] = {
	{ "SIGPIPE", SIGPIPE },
	{ "SIGKILL", SIGKILL },
	{ "SIGTERM", SIGTERM },
	{ "SIGINT", SIGINT },
	{ "SIGSEGV", SIGSEGV },
	{ "SIGABRT", SIGABRT },
	{ "SIGBUS", SIGBUS },
};

struct wordset
symbols_role_words(void)
{
	return WORDS(role_words);
}

struct wordset
symbols_errno_words(void)
{
	return WORDS(errno_table);
}

struct wordset
symbols_signal_words(void)
{
	return WORDS(signal_table);
}

int
symbols_compare_op(const char *word, enum compare_op *op)
{
	int i;

	i = words_find(WORDS(compare_words), word);
	if (i < 0)
		return -1;
	*op = compare_words[i].op;
	return 0;
}
const char *
case_role_name(enum role_id role)
{
	if ((unsigned)role < NELEMS(role_words))
		return role_words[role];
	return "unknown-role";
}

bool
case_role_is_child(enum role_id role)
{
	return role == ROLE_CLIENT_CHILD || role == ROLE_SERVER_CHILD;
}

enum role_id
case_role_end(enum role_id role)
{
	switch (role) {
	case ROLE_CLIENT_CHILD:
		return ROLE_CLIENT;
	case ROLE_SERVER_CHILD:
		return ROLE_SERVER;
	default:
		return role;
	}
}

const char *
case_compare_op_name(enum compare_op op)
{
	if ((unsigned)op < NELEMS(compare_names))
		return compare_names[op];
	return "?";
}

/* Whether op holds for an ordering: below 0, 0 or above 0 (a - b). */
static bool
compare_order(int order, enum compare_op op)
{
	switch (op) {
	case COMPARE_EQ:
		return order == 0;
	case COMPARE_NE:
		return order != 0;
	case COMPARE_LT:
		return order < 0;
	case COMPARE_LE:
		return order <= 0;
	case COMPARE_GT:
		return order > 0;
	case COMPARE_GE:
		return order >= 0;
	}
	return false;
}

bool
case_compare_u64(uint64_t a, enum compare_op op, uint64_t b)
{
	return compare_order((a > b) - (a < b), op);
}

bool
case_compare_i64(int64_t a, enum compare_op op, int64_t b)
{
	return compare_order((a > b) - (a < b), op);
}

/* name's value in table: 0, or -1 when name is NULL or not there. */
static int
named_value_find(struct wordset table, const char *name, int *value)
{
	int i;

	if (name == NULL)
		return -1;
	i = words_find(table, name);
	if (i < 0)
		return -1;
	if (value != NULL)
		*value = ((const struct named_value *)table.rows)[i].value;
	return 0;
}
/* The first name of value in table, or unknown. */
static const char *
named_value_name(const struct named_value *table, size_t n, int value,
    const char *unknown)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (table[i].value == value)
			return table[i].name;
	return unknown;
}

int
case_signal_from_name(const char *name, int *value)
{
	return named_value_find(WORDS(signal_table), name, value);
}

/* Never NULL, so that a message can always print it. */
const char *
case_signal_to_name(int value)
{
	return named_value_name(signal_table, NELEMS(signal_table), value,
	    "unknown-signal");
}

int
case_errno_from_name(const char *name, int *value)
{
	return named_value_find(WORDS(errno_table), name, value);
}

/* Never NULL, so that a message can always print it. */
const char *
case_errno_to_name(int value)
{
	return named_value_name(errno_table, NELEMS(errno_table), value,
	    "unknown-errno");
}
