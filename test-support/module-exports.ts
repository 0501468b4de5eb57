// Shared by the packages' export-list tests: the names a module exports (values and
// types alike), read from its source entry with the TypeScript compiler, so a test can
// pin a package's public surface. Not published.
import { fileURLToPath } from "node:url";
import ts from "typescript";

/**
 * Every name exported by the module at `entry` (a path or a `file:` URL), sorted, with
 * `type ` before the names that are types only, e.g. `["Arker", "type ArkerOptions"]`.
 * Namespace re-exports (`export * as wire`) count as one name.
 */
export function moduleExports(entry: string | URL): string[] {
  const file = typeof entry === "string" ? entry : fileURLToPath(entry);
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (source === undefined) throw new Error(`moduleExports: cannot read ${file}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`moduleExports: ${file} is not a module`);
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((symbol) => {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return target.flags & ts.SymbolFlags.Value ? symbol.name : `type ${symbol.name}`;
    })
    .sort((a, b) => bare(a).localeCompare(bare(b), "en") || a.localeCompare(b, "en"));
}

function bare(name: string): string {
  return name.replace(/^type /, "");
}
