/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_draw.h - the draw subcommand (cmd_draw.c); argv[0] is "draw".
 */
#ifndef cmd_draw_h
#define cmd_draw_h

int draw_main(int argc, char **argv);

#endif /* cmd_draw_h */
