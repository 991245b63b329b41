/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * analyze-measure.c - run a command with its output thrown away and print
 * "WALL_SECONDS PEAK_RSS_KIB EXIT_STATUS CPU_SECONDS" (wait4() rusage; CPU
 * is user + system time), so that bench/analyze needs no /usr/bin/time.
 */
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status, fd;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: analyze-measure COMMAND [ARG...]\n");
		return 2;
	}
	if (clock_gettime(CLOCK_MONOTONIC, &t0) == -1) {
		perror("analyze-measure: clock_gettime");
		return 1;
	}
	pid = fork();
	if (pid == -1) {
		perror("analyze-measure: fork");
		return 1;
	}
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		if (fd == -1 || dup2(fd, STDOUT_FILENO) == -1)
			_exit(127);
		close(fd);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "analyze-measure: %s: %s\n", argv[1],
		    strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) == -1) {
		if (errno != EINTR) {
			perror("analyze-measure: wait4");
			return 1;
		}
	}
	if (clock_gettime(CLOCK_MONOTONIC, &t1) == -1) {
		perror("analyze-measure: clock_gettime");
		return 1;
	}
	printf("%.6f %ld %d %.6f\n", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, ru.ru_maxrss,
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return 0;
}
