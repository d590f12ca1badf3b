/**
 * A parsed YAML file of a project with every node's position kept, so that any value found wrong —
 * by the schema, by an expression parser, by a relation at run time — can be reported at the
 * `file:line:column` where the user wrote it.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, isAlias, isNode, isScalar, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import type { SourceLocation } from '../location.js';
import { ProjectError } from '../errors.js';

/** Where the text of a scalar starts, for tools that point inside it (expressions). */
export interface TextStart {
  readonly location: SourceLocation;
  /** Columns of indentation of the lines after the first (block scalars), else 0. */
  readonly indent: number;
}

/** One YAML file of a project. */
export class YamlFile {
  /** Absolute path. */
  readonly file: string;
  readonly doc: Document;
  readonly text: string;
  readonly #lines: LineCounter;

  private constructor(file: string, text: string, doc: Document, lines: LineCounter) {
    this.file = file;
    this.text = text;
    this.doc = doc;
    this.#lines = lines;
  }

  /**
   * Reads and parses `file`.
   * @throws ProjectError for a file that cannot be read or is not valid YAML, at the error's position.
   */
  static async read(file: string): Promise<YamlFile> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
      throw new ProjectError(`cannot read project file ${file}: ${why}`, { cause: error });
    }
    return YamlFile.parse(file, text);
  }

  /** Parses `text` as the content of `file`. */
  static parse(file: string, text: string): YamlFile {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
    const yaml = new YamlFile(file, text, doc, lines);
    const syntax = doc.errors[0];
    if (syntax) {
      throw new ProjectError(`invalid YAML: ${syntax.message.split('\n')[0]}. Fix the syntax of the file.`, {
        location: yaml.at(syntax.pos[0]),
        cause: syntax,
      });
    }
    return yaml;
  }

  /** The location of character `offset` of the file. */
  at(offset: number): SourceLocation {
    const { line, col } = this.#lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /** The location of a node (its first character), or of the file's start when it has none. */
  locate(node: unknown): SourceLocation {
    const offset = isNode(node) ? node.range?.[0] : undefined;
    return offset === undefined ? { file: this.file, line: 1, column: 1 } : this.at(offset);
  }

  /** Where the text of a string scalar starts: after its quote, or on the first line of a block. */
  textStart(node: Node): TextStart {
    const target = isAlias(node) ? node.resolve(this.doc) : node;
    const offset = target?.range?.[0] ?? 0;
    if (!isScalar(target)) return { location: this.at(offset), indent: 0 };
    switch (target.type) {
      case 'QUOTE_DOUBLE':
      case 'QUOTE_SINGLE':
        return { location: this.at(offset + 1), indent: 0 };
      case 'BLOCK_LITERAL':
      case 'BLOCK_FOLDED': {
        const lineEnd = this.text.indexOf('\n', offset);
        const start = lineEnd < 0 ? offset : lineEnd + 1;
        const indent = /^[ ]*/.exec(this.text.slice(start))?.[0].length ?? 0;
        return { location: this.at(start + indent), indent };
      }
      default:
        return { location: this.at(offset), indent: 0 };
    }
  }
}
