# SPDX-License-Identifier: BSD-3-Clause
# doc/local.mk - the manual pages, the bash completion, their tests.
# Included by the top-level Makefile.am after TESTS and EXTRA_DIST are set;
# paths are relative to the top of the tree.

# closeprobe(1) and closeprobe-case(5), into $(mandir)/man1 and man5.
dist_man_MANS = doc/closeprobe.1 doc/closeprobe-case.5

# The completion file is named after the command: bash-completion loads
# completions/closeprobe when "closeprobe" is first completed.  Under
# $(datadir), so that a --prefix install (and distcheck) stays inside the
# prefix.
bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = completion/closeprobe

# Both render without warnings, and closeprobe-case(5) lists what the
# parser accepts; the completion offers what the usage shows.
TESTS += harness/tests/manpages.sh harness/tests/completion.sh
EXTRA_DIST += harness/tests/manpages.sh harness/tests/completion.sh bootstrap

# The README's ladder (made by a run of close-unread-truncates).
EXTRA_DIST += doc/ladder-close-unread-truncates.svg
