// The module graph of src/ as the compiler sees it, and the floor order written in ARCHITECTURE.md.
// Used by imports.test.ts; kept apart so that the rules are readable on their own.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One import of one module: `from` and `to` are paths relative to src/, `typeOnly` for `import type`. */
export interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** True when every import/export clause of the declaration names types only. */
function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly;
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  if (!bindings || ts.isNamespaceImport(bindings)) return false;
  return bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** Every relative import in src/ (static, re-exports and dynamic `import()`), resolved to a file. */
export function moduleGraph(srcDir: string): { files: string[]; edges: ImportEdge[] } {
  const abs = walk(srcDir);
  const files = abs.map((f) => relative(srcDir, f));
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  for (const file of abs) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const add = (spec: string, typeOnly: boolean): void => {
      if (!spec.startsWith('.')) return;
      const target = relative(srcDir, resolve(dirname(file), spec)).replace(/\.js$/, '.ts');
      const to = known.has(target) ? target : known.has(`${target}/index.ts`) ? `${target}/index.ts` : null;
      if (to === null) throw new Error(`${relative(srcDir, file)}: cannot resolve import '${spec}'`);
      edges.push({ from: relative(srcDir, file), to, typeOnly });
    };
    const visit = (node: ts.Node): void => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, isTypeOnly(node));
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const arg = node.arguments[0];
        if (arg && ts.isStringLiteral(arg)) add(arg.text, false);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { files, edges };
}

/**
 * The floors from the "## Floors" section of ARCHITECTURE.md, lowest first: each numbered line
 * names one or more rooms in backticks (`tensor/`, `info.ts`). A module imports only from rooms on
 * its own floor or below.
 */
export function floorsFromArchitecture(markdown: string): Map<string, number> {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Floors'));
  if (!section) throw new Error("ARCHITECTURE.md has no '## Floors' section");
  const floors = new Map<string, number>();
  for (const line of section.split('\n')) {
    const m = /^(\d+)\.\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const level = Number(m[1]);
    // the rooms are the backticked names before the first dash; the description may quote other names
    const head = m[2]!.split(/\s+—\s+/)[0]!;
    for (const room of head.matchAll(/`([^`]+)`/g)) floors.set(room[1]!.replace(/\/$/, ''), level);
  }
  if (floors.size === 0) throw new Error("ARCHITECTURE.md's '## Floors' section lists no rooms");
  return floors;
}

/** The room of a module: its first path part (`ops` for `ops/primitives/table.ts`, `index.ts` for the root file). */
export function roomOf(file: string): string {
  return file.split('/')[0]!;
}

/** Strongly connected components of the runtime import graph with more than one module (Tarjan, iterative). */
export function importCycles(files: string[], edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) if (!e.typeOnly) next.get(e.from)!.push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const root of files) {
    if (index.has(root)) continue;
    const work: [string, number][] = [[root, 0]];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      const succ = next.get(v)!;
      if (i < succ.length) {
        top[1]++;
        const w = succ[i]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(v)!));
      if (low.get(v) === index.get(v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1) out.push(comp.sort());
      }
    }
  }
  return out;
}
