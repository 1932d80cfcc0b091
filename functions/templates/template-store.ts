import type { Template } from './template';

/** A stored template with what refers to it. */
export type StoredTemplate = Template & {
  /** Campaigns that send this template (deleting it is a 409 while there are any). */
  readonly usedBy: readonly string[];
};

/**
 * Templates and every version of each: the current version is what campaigns send next; earlier
 * versions stay, since a run records the version it sent and its report shows what went out.
 */
export interface TemplateStore {
  get(templateId: string): Promise<StoredTemplate | undefined>;
  getVersion(templateId: string, version: number): Promise<Template | undefined>;
  /** Every template, current versions, by name (at most MAX_TEMPLATES). */
  list(): Promise<StoredTemplate[]>;
  create(template: Template): Promise<void>;
  /** Saves `next` as the new current version if `previous` still is; false when it changed. */
  update(next: Template, previous: Template): Promise<boolean>;
  delete(
    template: Template,
  ): Promise<
    | { readonly kind: 'deleted' | 'missing' | 'changed' }
    | { readonly kind: 'in-use'; readonly usedBy: string[] }
  >;
}

export const MAX_TEMPLATES = 1000;
export const TEMPLATE_ID_PATTERN = /^tpl_[A-Za-z0-9]{1,40}$/;
