import { badInput } from '../errors.js';

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** A URL-safe slug from a display name: lower case, dashes, at most 64 characters. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug || 'x';
}

export function checkSlug(slug: string, field = 'slug'): string {
  if (!SLUG.test(slug)) {
    throw badInput(
      `"${slug.slice(0, 80)}" is not a valid ${field}: use 1-64 lower-case letters, digits and dashes, starting with a letter or digit`,
      field,
    );
  }
  return slug;
}

/** A plausible e-mail address (something@somewhere); whether it receives mail is not checked. */
export function checkEmail(email: string, field = 'email'): string {
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw badInput(`${field} is not an e-mail address`, field);
  return email;
}

export function checkName(name: string, field = 'name', max = 256): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > max) {
    throw badInput(`${field} must be 1-${max} characters long`, field);
  }
  return trimmed;
}
