import { Node, type SourceFile } from 'ts-morph';
import { findDeclaration, unwrap } from './scope';
import { statementsOf } from './walk';

/** What a local name stands for: an export of a module, `*` for the whole module, or `default`. */
export interface ImportedName {
  module: string;
  name: string;
}

interface Binding extends ImportedName {
  /** The declaring node; a use counts only if name lookup reaches this node (no shadowing). */
  decl: Node;
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
          if (m && Node.isStringLiteral(m)) this.locals.set(st.getName(), { module: m.getLiteralValue(), name: '*', decl: st });
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
      if (!b || findDeclaration(e.getText(), e) !== b.decl) return undefined;
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
    const module = st.getModuleSpecifierValue();
    const clause = st.getImportClause();
    if (!clause) return;
    const def = clause.getDefaultImport();
    if (def) this.locals.set(def.getText(), { module, name: 'default', decl: clause });
    const bindings = clause.getNamedBindings();
    if (!bindings) return;
    if (Node.isNamespaceImport(bindings)) this.locals.set(bindings.getName(), { module, name: '*', decl: bindings });
    else {
      for (const el of bindings.getElements()) {
        const local = (el.getAliasNode() ?? el.getNameNode()).getText();
        this.locals.set(local, { module, name: el.getNameNode().getText(), decl: el });
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
      this.locals.set(nameNode.getText(), { module, name: member ?? '*', decl: d });
    } else if (Node.isObjectBindingPattern(nameNode) && !member) {
      for (const el of nameNode.getElements()) {
        const local = el.getNameNode();
        if (!Node.isIdentifier(local)) continue;
        const imported = el.getPropertyNameNode()?.getText() ?? local.getText();
        this.locals.set(local.getText(), { module, name: imported, decl: el });
      }
    }
  }
}
