import { Node, type SourceFile, ts } from 'ts-morph';
import { findDeclaration, unwrap, unwrapCompiler } from './scope';
import { statementsOf } from './walk';

/** What a local name stands for: an export of a module, `*` for the whole module, or `default`. */
export interface ImportedName {
  module: string;
  name: string;
}

interface Binding extends ImportedName {
  /**
   * The declaring node, as the compiler holds it; a use counts only if name lookup reaches this
   * node (no shadowing). Imports are read from the compiler's nodes: `import { a, a, … }` with
   * 262,000 names (a 1 MB line) took 2 s when each was wrapped in a ts-morph node.
   */
  decl: ts.Node;
}

/**
 * The file's imports (ES `import`, `import x = require()`, top-level `require()`), so a call
 * counts only when its callee really comes from an SDK: `import { tool as aiTool } from 'ai'`
 * and `import * as ai from 'ai'` do, a local `function tool()` does not.
 */
export class ImportTable {
  private readonly locals = new Map<string, Binding>();

  constructor(sf: SourceFile) {
    for (const st of statementsOf(sf)) {
      if (Node.isImportDeclaration(st)) this.addImport(st);
      else if (Node.isImportEqualsDeclaration(st)) {
        const ref = st.getModuleReference();
        if (Node.isExternalModuleReference(ref)) {
          const m = ref.getExpression();
          if (m && Node.isStringLiteral(m))
            this.locals.set(st.getName(), { module: m.getLiteralValue(), name: '*', decl: st.compilerNode });
        }
      } else if (Node.isVariableStatement(st)) {
        for (const d of st.getDeclarations()) this.addRequire(d);
      }
    }
  }

  /** True when no import at all could matter (lets callers skip a file early). */
  get isEmpty(): boolean {
    return this.locals.size === 0;
  }

  /**
   * Whether `resolve` may find something for this callee, from the compiler's node alone: a
   * local name imported from a module `fromModule` accepts, or a member of one. Lets discovery skip the calls that cannot matter
   * without making ts-morph nodes of them (100,000 `z.string()` calls took 1.7 million).
   */
  mayResolve(expr: ts.Expression, fromModule: (module: string) => boolean): boolean {
    const e = unwrapCompiler(expr);
    const root = ts.isPropertyAccessExpression(e) ? unwrapCompiler(e.expression) : e;
    const module = ts.isIdentifier(root) ? this.locals.get(root.text)?.module : undefined;
    return module !== undefined && fromModule(module);
  }

  /** The module a local name was imported from, whatever it imports (for "defined in …" messages). */
  moduleOf(local: string): string | undefined {
    return this.locals.get(local)?.module;
  }

  /**
   * What `expr` refers to: `aiTool` → `{module: 'ai', name: 'tool'}`, `ai.tool` →
   * the same through a namespace import. Undefined for anything local or unknown.
   */
  resolve(expr: Node): ImportedName | undefined {
    const e = unwrap(expr);
    if (Node.isIdentifier(e)) {
      const b = this.locals.get(e.getText());
      if (!b || findDeclaration(e.getText(), e)?.compilerNode !== b.decl) return undefined;
      return { module: b.module, name: b.name };
    }
    if (Node.isPropertyAccessExpression(e)) {
      // Only a namespace (or default) import has members worth resolving; test that before any lookup.
      const root = unwrap(e.getExpression());
      const b = Node.isIdentifier(root) ? this.locals.get(root.getText()) : undefined;
      if (!b || (b.name !== '*' && b.name !== 'default')) return undefined;
      const base = this.resolve(root);
      if (base && (base.name === '*' || base.name === 'default')) return { module: base.module, name: e.getName() };
    }
    return undefined;
  }

  private addImport(st: import('ts-morph').ImportDeclaration): void {
    // `import { tool } from 42` is a syntax error the parser reports; ts-morph's accessor throws
    // on it, which cost the whole file its tools.
    if (!ts.isStringLiteral(st.compilerNode.moduleSpecifier)) return;
    const module = st.getModuleSpecifierValue();
    const clause = st.getImportClause();
    if (!clause) return;
    const c = clause.compilerNode;
    if (c.name) this.locals.set(c.name.text, { module, name: 'default', decl: c });
    const bindings = c.namedBindings;
    if (!bindings) return;
    if (ts.isNamespaceImport(bindings)) this.locals.set(bindings.name.text, { module, name: '*', decl: bindings });
    else {
      for (const el of bindings.elements) {
        // `{ a as b }`: the compiler's `name` is the local `b`, `propertyName` the imported `a`.
        this.locals.set(el.name.text, { module, name: (el.propertyName ?? el.name).getText(), decl: el });
      }
    }
  }

  /** `const x = require('m')`, `const { a, b: c } = require('m')`, `const t = require('m').tool`. */
  private addRequire(d: import('ts-morph').VariableDeclaration): void {
    const init = d.getInitializer();
    if (!init) return;
    let call = unwrap(init);
    let member: string | undefined;
    if (Node.isPropertyAccessExpression(call)) {
      member = call.getName();
      call = unwrap(call.getExpression());
    }
    if (!Node.isCallExpression(call) || call.getExpression().getText() !== 'require') return;
    const arg = call.getArguments()[0];
    if (!arg || !Node.isStringLiteral(arg)) return;
    const module = arg.getLiteralValue();
    const nameNode = d.getNameNode();
    if (Node.isIdentifier(nameNode)) {
      this.locals.set(nameNode.getText(), { module, name: member ?? '*', decl: d.compilerNode });
    } else if (Node.isObjectBindingPattern(nameNode) && !member) {
      for (const el of nameNode.getElements()) {
        const local = el.getNameNode();
        if (!Node.isIdentifier(local)) continue;
        const imported = el.getPropertyNameNode()?.getText() ?? local.getText();
        this.locals.set(local.getText(), { module, name: imported, decl: el.compilerNode });
      }
    }
  }
}
