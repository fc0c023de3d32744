/* The tiny program that process_spawn starts: it exits 0 at once, so that starting
 * and reaping it is all that is measured. */
int main(void) {
    return 0;
}
