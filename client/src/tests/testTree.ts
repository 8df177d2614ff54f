// The Test Explorer's items: one per request test file (`*.cedartests.json`), and under it one per
// request at its exact range (and one for `shouldValidate`), as the server lists them.
import * as vscode from 'vscode';
import type { RequestTestFileItem } from '../../../server/src/protocol';

/** What a test item stands for. */
export type ItemData =
  { kind: 'file'; uri: string } | { kind: 'request'; uri: string; index: number } | { kind: 'validation'; uri: string };

export const requestItemId = (uri: string, index: number) => `${uri}#${index}`;
export const validationItemId = (uri: string) => `${uri}#shouldValidate`;

type WireRange = RequestTestFileItem['requests'][number]['range'];

export const toRange = (r: WireRange) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

/**
 * The controller's items, kept in step with the server's list: a file's children are replaced
 * when it changes, so a request added, removed or moved in the file is an item added, removed or
 * moved in the explorer; ids are the file's URI and the request's index, so results stay on the
 * items they belong to.
 */
export class TestTree {
  private readonly data = new WeakMap<vscode.TestItem, ItemData>();

  constructor(private readonly controller: vscode.TestController) {}

  dataOf(item: vscode.TestItem): ItemData | undefined {
    return this.data.get(item);
  }

  /** Replaces the items with the server's list. */
  sync(files: RequestTestFileItem[]): void {
    const items = files.map((f) => this.fileItem(f));
    this.controller.items.replace(items);
  }

  /** Every file item. */
  files(): vscode.TestItem[] {
    const out: vscode.TestItem[] = [];
    this.controller.items.forEach((i) => out.push(i));
    return out;
  }

  /** An item by id (a file's URI, or a request's `uri#index`). */
  find(id: string): vscode.TestItem | undefined {
    const file = this.controller.items.get(id.replace(/#[^#]*$/, '')) ?? this.controller.items.get(id);
    if (!file || file.id === id) return file;
    return file.children.get(id);
  }

  private fileItem(f: RequestTestFileItem): vscode.TestItem {
    const uri = vscode.Uri.parse(f.uri);
    const item = this.controller.items.get(f.uri) ?? this.controller.createTestItem(f.uri, f.label, uri);
    item.label = f.label;
    item.error = f.error;
    this.data.set(item, { kind: 'file', uri: f.uri });
    const children: vscode.TestItem[] = f.requests.map((r) => {
      const id = requestItemId(f.uri, r.index);
      const child = item.children.get(id) ?? this.controller.createTestItem(id, r.description, uri);
      child.label = r.description;
      child.range = toRange(r.range);
      // File order, not the alphabetical order of descriptions.
      child.sortText = String(r.index).padStart(6, '0');
      this.data.set(child, { kind: 'request', uri: f.uri, index: r.index });
      return child;
    });
    if (f.validation) {
      const id = validationItemId(f.uri);
      const child = item.children.get(id) ?? this.controller.createTestItem(id, 'shouldValidate', uri);
      child.range = toRange(f.validation);
      // After every request (sort texts are compared as strings).
      child.sortText = '999999';
      child.description = 'the policies validate against the schema as the file says';
      this.data.set(child, { kind: 'validation', uri: f.uri });
      children.push(child);
    }
    item.children.replace(children);
    return item;
  }
}
