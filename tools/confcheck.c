/* confcheck.c -- placeholder for the linter. */
#include <stdio.h>
int main(void) { fputs("confcheck: not written yet\n", stderr); return 2; }
