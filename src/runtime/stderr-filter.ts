/**
 * Forwards a child process's stderr to the user's terminal line by line, except V8's fatal report:
 * when a process worker runs out of memory, V8 prints its last GCs, a JS stack header and a native
 * stack trace before dying. That block means nothing to a pipeline's user, and the crash is already
 * summarised in the task's `WorkerCrashedError` reason, so it is held back. Ordinary output (the
 * user's `console.error`, warnings) passes through unchanged, a partial line as soon as it cannot be
 * the start of the fatal block.
 */

/** Lines that open V8's fatal report; everything from the first of them on is held back. */
const FATAL_MARKERS: readonly string[] = ['<--- Last few GCs --->', '<--- JS stacktrace --->', 'FATAL ERROR:'];

function opensFatalReport(line: string): boolean {
  return FATAL_MARKERS.some((marker) => line.startsWith(marker));
}

function mayOpenFatalReport(partial: string): boolean {
  return FATAL_MARKERS.some((marker) => marker.startsWith(partial) || partial.startsWith(marker));
}

/** Passes text through to `write`, holding back V8's fatal out-of-memory report. */
export class FatalReportFilter {
  readonly #write: (text: string) => void;
  /** Text of the current line not yet written (it might open the fatal report). */
  #partial = '';
  /** Whether part of the current line was already written, so it cannot open the report. */
  #midLine = false;
  /** Blank lines not yet written: V8 opens its report with one. */
  #blank = '';
  #holding = false;
  #held = '';

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  /** The fatal report held back so far (empty when there was none). */
  get heldBack(): string {
    return this.#held;
  }

  /** Forwards a chunk of output. */
  push(chunk: string): void {
    if (this.#holding) {
      this.#held += chunk;
      return;
    }
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) {
      if (this.#holding) this.#held += `${line}\n`;
      else this.#line(line);
    }
    if (this.#holding) {
      this.#held += this.#partial;
      this.#partial = '';
    } else if (this.#partial !== '' && (this.#midLine || !mayOpenFatalReport(this.#partial))) {
      this.#write(this.#blank + this.#partial);
      this.#blank = '';
      this.#partial = '';
      this.#midLine = true;
    }
  }

  /** The stream ended: writes what was kept back only in case it opened the fatal report. */
  end(): void {
    if (this.#holding) return;
    const rest = this.#blank + this.#partial;
    this.#blank = '';
    this.#partial = '';
    if (rest !== '') this.#write(rest);
  }

  #line(line: string): void {
    const startsLine = !this.#midLine;
    this.#midLine = false;
    if (startsLine && opensFatalReport(line)) {
      this.#holding = true;
      this.#held = `${line}\n`;
      this.#blank = '';
    } else if (startsLine && line.trim() === '') {
      this.#blank += `${line}\n`;
    } else {
      this.#write(`${this.#blank}${line}\n`);
      this.#blank = '';
    }
  }
}
