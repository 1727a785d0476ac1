/*
** html_extract.c — the main text of an article page: a scoring of its blocks. See
** html_extract.h.
**
** Four passes over the tree libxml2 built, none recursive (a page may nest 10,000 deep):
**   1. measure: every element under <body> gets a record (its index in node->_private) with the
**      characters of text under it, those inside links, its commas, and how many paragraphs,
**      images, list items and form fields it holds; an element that is never article text
**      (navigation, a hidden element, a cookie banner, a share bar: see `noise_*` below) is
**      marked dropped and its text not counted;
**   2. score: each paragraph (a <p>, <pre>, <td>, a <div> without blocks in it...) of enough
**      text scores 1 + its commas + its length / 100 (at most 3), and gives that score to its
**      parent, half of it to its grandparent and a third per level to three more ancestors,
**      each of which starts from a score for its tag and its class and id names;
**   3. choose: the ancestor with the best score, times 1 - its link density, is the article;
**      its siblings join it when they score near it or are paragraphs of prose;
**   4. write: the text of the chosen blocks, leaving out again what inside them is not prose
**      (conditional cleaning: a <div>, list or table dense with links, with fields, or with
**      more list items than paragraphs; headings with a negative name).
** When that gives less than `min_article_chars`, the passes run again without dropping
** elements by their names and without conditional cleaning, and their text wins when it is
** much longer; a page without any paragraph gives all the text it shows (what is never article
** text, such as its navigation, left out).
**
** The weights are in one table, `W`, each with why it has its value; bench/pages.py measures
** what changing one does on the pages of ../shared/corpora/web/readability.
*/
#include "html_extract.h"
#include "html_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The weights of the scoring. */
static const struct {
  int min_paragraph_chars;   /* 25: shorter text (a caption, a button) is no paragraph */
  double chars_per_point;    /* 100: a paragraph earns a point per 100 characters... */
  double max_length_points;  /* 3: ...up to 3, so one long block cannot outweigh many */
  double comma_point;        /* 1 per comma: prose has commas, menus and link lists do not */
  int ancestor_levels;       /* 5: a paragraph scores its parent, grandparent and 3 more */
  double div_base;           /* +5: a <div> is the usual container of an article's text */
  double quote_base;         /* +3: <pre>, <td>, <blockquote> hold text, seldom a whole article */
  double list_base;          /* -3: lists and forms are navigation more often than text */
  double heading_base;       /* -5: a heading's container is a title block or a teaser list */
  double article_tag_bonus;  /* +25: <article>, <main> and itemprop=articleBody say it outright */
  double class_weight;       /* +-25: a positive or negative class or id name (see below) */
  double alternatives_share; /* 0.75: a candidate with 3/4 of the best score is nearly as good */
  int alternatives_min;      /* 3: ...and when 3 of them lie in one ancestor, it is the article */
  double sibling_share;      /* 0.2: a sibling with a fifth of the best score joins it */
  double sibling_min; /* 10: ...and at least this, so that noise next to a weak best stays out */
  int sibling_prose_chars;    /* 80: a sibling <p> this long with few links is article text */
  double sibling_prose_links; /* 0.25: ..."few links": a quarter of its text at most */
  int min_article_chars;      /* 500: less, and the passes run again with fewer filters... */
  double retry_gain;          /* 2: ...whose text wins when it is twice as long: the filters
                              ** then took the article, not a share bar next to it */
  int clean_comma_spare;      /* 10: a block with this many commas is prose, never cleaned */
  double clean_links;         /* 0.2: a cleaned block with more of its text in links goes... */
  double clean_links_named;   /* 0.5: ...or with a positive name, more than half of it */
  int clean_min_chars;        /* 25: a block with less text and no single image goes */
} W = {
    .min_paragraph_chars = 25,
    .chars_per_point = 100,
    .max_length_points = 3,
    .comma_point = 1,
    .ancestor_levels = 5,
    .div_base = 5,
    .quote_base = 3,
    .list_base = -3,
    .heading_base = -5,
    .article_tag_bonus = 25,
    .class_weight = 25,
    .alternatives_share = 0.75,
    .alternatives_min = 3,
    .sibling_share = 0.2,
    .sibling_min = 10,
    .sibling_prose_chars = 80,
    .sibling_prose_links = 0.25,
    .min_article_chars = 500,
    .retry_gain = 2,
    .clean_comma_spare = 10,
    .clean_links = 0.2,
    .clean_links_named = 0.5,
    .clean_min_chars = 25,
};

/* Parts of class and id names, matched anywhere in "class id" lowercased. */
/* Never the article: dropped before scoring unless a `noise_spared` name is there too. */
static const char *const noise_names[] = {
    "-ad-",       "ad-break",   "agegate", "banner",    "breadcrumb",   "combx",
    "comment",    "community",  "consent", "cookie",    "cover-wrap",   "disqus",
    "extra",      "foot",       "gdpr",    "header",    "legends",      "menu",
    "newsletter", "pagination", "pager",   "popup",     "promo",        "related",
    "remark",     "replies",    "rss",     "share",     "shoutbox",     "sidebar",
    "skyscraper", "social",     "sponsor", "subscribe", "supplemental", "yom-remote",
    NULL};
/* Names that keep an element a `noise_names` part would drop ("main-header", "article-foot"
** are often the article's own wrappers). */
static const char *const noise_spared[] = {"and",     "article", "body",   "column",
                                           "content", "main",    "shadow", NULL};
/* Names of containers of an article's text, and of what is not (scored +-class_weight). */
static const char *const positive_names[] = {"article", "body",  "content", "entry", "hentry",
                                             "h-entry", "main",  "page",    "post",  "text",
                                             "blog",    "story", NULL};
static const char *const negative_names[] = {
    "-ad-",   "hidden",   "banner",  "combx",      "comment",  "com-",     "contact", "foot",
    "gdpr",   "masthead", "media",   "meta",       "outbrain", "promo",    "related", "scroll",
    "share",  "shoutbox", "sidebar", "skyscraper", "sponsor",  "shopping", "tags",    "tool",
    "widget", "byline",   "author",  "dateline",   NULL};

/* Elements never part of an article's text. */
static const char *const noise_tags[] = {
    "nav",      "aside",  "footer", "script", "style",  "noscript", "template",
    "iframe",   "object", "embed",  "svg",    "select", "button",   "input",
    "textarea", "form",   "dialog", "menu",   "link",   "meta",     NULL};
/* ARIA roles of what is not an article (the role of a <div> made a menu or a banner). */
static const char *const noise_roles[] = {
    "menu",   "menubar", "complementary", "navigation", "alert", "alertdialog",
    "dialog", "banner",  "contentinfo",   "search",     NULL};
/* Elements whose text is a paragraph of their own. */
static const char *const paragraph_tags[] = {"p",  "pre", "td", "blockquote", "h2", "h3",
                                             "h4", "h5",  "h6", "li",         "dd", NULL};
/* Elements that make a <div> holding them a container rather than a paragraph. */
static const char *const block_tags[] = {
    "blockquote", "dl",     "div",    "img", "ol", "p",  "pre", "table", "ul", "section",
    "article",    "figure", "header", "h1",  "h2", "h3", "h4",  "h5",    "h6", NULL};

typedef struct node_info {
  double score;
  double weight;  /* its name's weight: class_weight, article_tag_bonus */
  int chars;      /* characters of text under it (white space runs as one) */
  int link_chars; /* of which inside <a> */
  int commas;
  int n_p, n_img, n_li, n_input, n_embed;
  unsigned dropped : 1; /* never article text (pass 1) */
  unsigned scored : 1;  /* has a score as an ancestor of paragraphs (pass 2) */
  unsigned has_block : 1;
  unsigned chosen : 1; /* one of the article's blocks (pass 3) */
} node_info;

typedef struct extract {
  node_info *info;
  size_t n, cap;
  int names_drop; /* drop elements by their class and id names */
  int clean;      /* conditional cleaning */
  int failed;
  const char *title;
  int title_seen;
} extract;

#define tag_in html_name_in

static node_info *info_of(const extract *x, const xmlNode *node) {
  uintptr_t i = (uintptr_t)node->_private;
  return i && i <= x->n ? &x->info[i - 1] : NULL;
}

/* "class id" of the element, lowercased, in `buf` (cut at its size). */
static const char *names_of(const xmlNode *node, char *buf, size_t size) {
  size_t n = 0;
  buf[0] = '\0';
  for (const xmlAttr *a = node->properties; a; a = a->next) {
    if (strcasecmp((const char *)a->name, "class") != 0 && strcasecmp((const char *)a->name, "id"))
      continue;
    const xmlNode *t = a->children;
    if (!t || !t->content) continue;
    for (const char *s = (const char *)t->content; *s && n + 2 < size; s++)
      buf[n++] = (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s);
    if (n + 1 < size) buf[n++] = ' ';
    buf[n] = '\0';
  }
  return buf;
}

static int names_match(const char *names, const char *const *parts) {
  for (int i = 0; parts[i]; i++)
    if (strstr(names, parts[i])) return 1;
  return 0;
}

/* Hidden from readers: display:none, visibility:hidden, the hidden attribute, aria-hidden. */
static int hidden(const xmlNode *node) {
  if (html_attr(node, "hidden")) return 1;
  const char *aria = html_attr(node, "aria-hidden");
  if (aria && strcasecmp(aria, "true") == 0) return 1;
  const char *style = html_attr(node, "style");
  if (!style) return 0;
  char compact[128];
  size_t n = 0;
  for (; *style && n + 1 < sizeof compact; style++)
    if (*style != ' ')
      compact[n++] = (char)((*style >= 'A' && *style <= 'Z') ? *style + 32 : *style);
  compact[n] = '\0';
  return strstr(compact, "display:none") || strstr(compact, "visibility:hidden");
}

/* Pass 1's judgement of one element: 1 when it is never article text. */
static int is_noise(const extract *x, const xmlNode *node, const char *names) {
  if (tag_in(node, noise_tags) || hidden(node)) return 1;
  const char *role = html_attr(node, "role");
  if (role && x->names_drop) {
    for (int i = 0; noise_roles[i]; i++)
      if (strcasecmp(role, noise_roles[i]) == 0) return 1;
  }
  if (!x->names_drop || html_is(node, "body") || html_is(node, "a") || html_is(node, "article") ||
      html_is(node, "main"))
    return 0;
  return names_match(names, noise_names) && !names_match(names, noise_spared);
}

static double name_weight(const xmlNode *node, const char *names) {
  double w = 0;
  if (names_match(names, negative_names)) w -= W.class_weight;
  if (names_match(names, positive_names)) w += W.class_weight;
  const char *prop = html_attr(node, "itemprop");
  if (html_is(node, "article") || html_is(node, "main") || (prop && strstr(prop, "articleBody")))
    w += W.article_tag_bonus;
  return w;
}

static node_info *new_info(extract *x, xmlNode *node) {
  if (x->n == x->cap) {
    size_t cap = x->cap ? 2 * x->cap : 1024;
    node_info *grown = realloc(x->info, cap * sizeof *grown);
    if (!grown) {
      x->failed = 1;
      return NULL;
    }
    x->info = grown;
    x->cap = cap;
  }
  x->info[x->n] = (node_info){0};
  node->_private = (void *)(uintptr_t)++x->n;
  return &x->info[x->n - 1];
}

/* Counts the characters (UTF-8 lead bytes, a white space run as one) and commas of `s`. */
static void count_text(const char *s, int *chars, int *commas) {
  int space = 1;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
      if (!space) ++*chars;
      space = 1;
      continue;
    }
    space = 0;
    if ((*p & 0xC0) != 0x80) ++*chars;
    if (*p == ',') ++*commas;
    /* the commas of Chinese and Japanese: U+FF0C, U+3001 */
    if ((p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x8C) ||
        (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x81))
      ++*commas;
  }
}

/* Adds what a child holds to its parent's counts. */
static void add_to_parent(extract *x, const xmlNode *child, node_info *c) {
  node_info *p = child->parent ? info_of(x, child->parent) : NULL;
  if (!p || c->dropped) return;
  p->chars += c->chars;
  p->link_chars += html_is(child, "a") ? c->chars : c->link_chars;
  p->commas += c->commas;
  p->n_p += c->n_p + html_is(child, "p");
  p->n_img += c->n_img + html_is(child, "img");
  p->n_li += c->n_li + html_is(child, "li");
  p->n_input += c->n_input;
  p->n_embed += c->n_embed;
  if (c->has_block || tag_in(child, block_tags)) p->has_block = 1;
}

/* Pass 1: a record for every element under `root`, with its counts. */
static void measure(extract *x, xmlNode *root) {
  xmlNode *node = root;
  char names[256];
  while (node && !x->failed) {
    int descend = 0;
    if (node->type == XML_ELEMENT_NODE && node->name) {
      node_info *in = new_info(x, node);
      if (!in) return;
      names_of(node, names, sizeof names);
      in->dropped = node != root && is_noise(x, node, names);
      if (html_is(node, "input") || html_is(node, "select") || html_is(node, "textarea"))
        in->n_input = 1;
      if (html_is(node, "embed") || html_is(node, "object") || html_is(node, "iframe"))
        in->n_embed = 1;
      in->weight = name_weight(node, names);
      descend = !in->dropped && node->children;
    } else if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) &&
               node->content && node->parent) {
      node_info *p = info_of(x, node->parent);
      if (p) count_text((const char *)node->content, &p->chars, &p->commas);
    }
    if (descend) {
      node = node->children;
      continue;
    }
    /* leave the elements that end here, each adding its counts to its parent's */
    for (;;) {
      node_info *in = node->type == XML_ELEMENT_NODE ? info_of(x, node) : NULL;
      if (in && node != root) add_to_parent(x, node, in);
      if (node == root) return;
      if (node->next) break;
      node = node->parent;
    }
    node = node->next;
  }
}

static double link_density(const node_info *in) {
  return in->chars ? (double)in->link_chars / in->chars : 0;
}

static double tag_base(const xmlNode *node) {
  static const char *const quote[] = {"pre", "td", "blockquote", NULL};
  static const char *const list[] = {"address", "ol", "ul", "dl", "dd", "dt", "li", "form", NULL};
  static const char *const heading[] = {"h1", "h2", "h3", "h4", "h5", "h6", "th", NULL};
  if (html_is(node, "div") || html_is(node, "article") || html_is(node, "main") ||
      html_is(node, "section"))
    return W.div_base;
  if (tag_in(node, quote)) return W.quote_base;
  if (tag_in(node, list)) return W.list_base;
  if (tag_in(node, heading)) return W.heading_base;
  return 0;
}

static int is_paragraph(const xmlNode *node, const node_info *in) {
  if (tag_in(node, paragraph_tags)) return 1;
  return (html_is(node, "div") || html_is(node, "section")) && !in->has_block;
}

/* Gives `s` points of a paragraph to the ancestors of `node`. */
static void score_ancestors(extract *x, const xmlNode *node, double s) {
  const xmlNode *a = node->parent;
  for (int level = 0; a && a->type == XML_ELEMENT_NODE && level < W.ancestor_levels;
       level++, a = a->parent) {
    node_info *in = info_of(x, a);
    if (!in) break;
    if (!in->scored) {
      in->scored = 1;
      in->score = tag_base(a) + in->weight;
    }
    in->score += level == 0 ? s : level == 1 ? s / 2 : s / (level * 3);
  }
}

/* Pass 2 over the tree under `root`: paragraphs score their ancestors. Iterative. */
static void score_tree(extract *x, xmlNode *root) {
  xmlNode *node = root;
  while (node) {
    int descend = 0;
    node_info *in = node->type == XML_ELEMENT_NODE ? info_of(x, node) : NULL;
    if (in && !in->dropped) {
      descend = node->children != NULL;
      if (is_paragraph(node, in) && in->chars >= W.min_paragraph_chars) {
        double s = 1 + W.comma_point * in->commas;
        double len = in->chars / W.chars_per_point;
        s += len < W.max_length_points ? len : W.max_length_points;
        score_ancestors(x, node, s);
        descend = 0; /* its own paragraphs are part of it */
      }
    }
    node = html_next(node, root, descend);
  }
}

enum { N_TOP = 5 }; /* the candidates kept to judge the best one by (W.alternatives_*) */

/* Pass 3: the best scored elements, best first, their final score (times 1 - link density) in
** their record; returns how many (at most N_TOP). */
static int best(extract *x, xmlNode *root, xmlNode *top[N_TOP]) {
  int n = 0;
  for (xmlNode *node = root; node;) {
    node_info *in = node->type == XML_ELEMENT_NODE ? info_of(x, node) : NULL;
    int descend = in && !in->dropped && node->children;
    if (in && in->scored) {
      in->score *= 1 - link_density(in);
      int at = n < N_TOP ? n++ : N_TOP;
      while (at > 0 && info_of(x, top[at - 1])->score < in->score) {
        if (at < N_TOP) top[at] = top[at - 1];
        at--;
      }
      if (at < N_TOP) top[at] = node;
    }
    node = html_next(node, root, descend);
  }
  return n;
}

static int is_ancestor(const xmlNode *a, const xmlNode *node) {
  for (const xmlNode *p = node->parent; p; p = p->parent)
    if (p == a) return 1;
  return 0;
}

/* The article's element from the best candidates: when the next best ones, nearly as good,
** lie beside the best in one ancestor, the article is that ancestor (a story split into
** several blocks); an element that is its parent's only child is the parent. */
static xmlNode *refine(extract *x, xmlNode *top[N_TOP], int n, xmlNode *root) {
  xmlNode *best_node = top[0];
  double best_score = info_of(x, best_node)->score;
  for (xmlNode *a = best_node->parent; a && a != root->parent; a = a->parent) {
    int near = 0;
    for (int i = 1; i < n; i++)
      if (info_of(x, top[i])->score >= W.alternatives_share * best_score && is_ancestor(a, top[i]))
        near++;
    if (near >= W.alternatives_min) {
      best_node = a;
      break;
    }
  }
  while (best_node != root && best_node->parent && info_of(x, best_node->parent) &&
         xmlChildElementCount(best_node->parent) == 1)
    best_node = best_node->parent;
  node_info *in = info_of(x, best_node);
  if (!in->scored || in->score < best_score) {
    in->scored = 1;
    in->score = best_score;
  }
  return best_node;
}

static int ends_sentence(const xmlNode *node) {
  const xmlNode *last = node->last;
  while (last && last->type != XML_TEXT_NODE)
    last = last->last ? last->last : last->prev;
  if (!last || !last->content) return 0;
  const char *s = (const char *)last->content;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t'))
    n--;
  return n && strchr(".!?\"", s[n - 1]);
}

/* Pass 3: the chosen blocks, `top` and those of its siblings that are article too. */
static void choose(extract *x, xmlNode *top) {
  node_info *t = info_of(x, top);
  double threshold = t->score * W.sibling_share;
  if (threshold < W.sibling_min) threshold = W.sibling_min;
  if (!top->parent || !info_of(x, top->parent)) {
    t->chosen = 1;
    return;
  }
  for (xmlNode *s = top->parent->children; s; s = s->next) {
    node_info *in = s->type == XML_ELEMENT_NODE ? info_of(x, s) : NULL;
    if (!in || in->dropped) continue;
    if (s == top) {
      in->chosen = 1;
      continue;
    }
    double ss = in->scored ? in->score : 0; /* final: best() weighed its links */
    if (ss >= threshold)
      in->chosen = 1;
    else if (html_is(s, "p") && in->chars > W.sibling_prose_chars &&
             link_density(in) < W.sibling_prose_links)
      in->chosen = 1;
    else if (html_is(s, "p") && in->chars > 0 && in->link_chars == 0 && ends_sentence(s))
      in->chosen = 1;
  }
}

static int inside(const xmlNode *node, const char *tag) {
  for (const xmlNode *a = node->parent; a; a = a->parent)
    if (a->type == XML_ELEMENT_NODE && html_is(a, tag)) return 1;
  return 0;
}

/* Conditional cleaning of one block inside the article: 1 when it is not the article's text. */
static int clean_out(const extract *x, const xmlNode *node, const node_info *in) {
  /* the containers of link lists and widgets; not <ol>, <dl>, <section>, <figure>, which hold
  ** an article's own numbered steps, definitions, parts and pictures */
  static const char *const cleaned[] = {"div", "table", "ul", "fieldset", NULL};
  static const char *const headings[] = {"h1", "h2", "h3", NULL};
  if (tag_in(node, headings)) return in->weight < 0 || link_density(in) > 0.33;
  if (!tag_in(node, cleaned)) return 0;
  if (in->weight + (in->scored ? in->score : 0) < 0) return 1;
  if (in->commas >= W.clean_comma_spare) return 0;
  int is_list = html_is(node, "ul") || html_is(node, "ol");
  double ld = link_density(in);
  if (in->n_img > 1 && (double)in->n_p / in->n_img < 0.5 && !inside(node, "figure")) return 1;
  if (!is_list && in->n_li - 100 > in->n_p) return 1;
  if (in->n_input > in->n_p / 3) return 1;
  if (in->chars < W.clean_min_chars && (in->n_img == 0 || in->n_img > 2) &&
      !html_is(node, "figure"))
    return 1;
  if (in->weight < W.class_weight && ld > W.clean_links) return 1;
  if (in->weight >= W.class_weight && ld > W.clean_links_named) return 1;
  if ((in->n_embed == 1 && in->chars < 75) || in->n_embed > 1) return 1;
  (void)x;
  return 0;
}

/* Pass 4's filter (html_text_keep_fn). */
static int keep(const xmlNode *node, void *arg) {
  extract *x = arg;
  node_info *in = info_of(x, node);
  if (!in) return 1;
  if (in->dropped) return 0;
  if (x->title && !x->title_seen && tag_in(node, (const char *const[]){"h1", "h2", NULL})) {
    x->title_seen = 1; /* only the first heading can be the title written again */
    html_text t = {.one_line = 1, .max = 4096};
    html_text_append_tree(&t, node);
    int same = t.text && strcasecmp(t.text, x->title) == 0;
    free(t.text);
    if (same) return 0;
  }
  return !x->clean || !clean_out(x, node, in);
}

/* The text of the chosen blocks under `top`'s parent (of `top` alone when it has none). */
static char *write_chosen(extract *x, xmlNode *top, size_t max) {
  html_text out = {.max = max};
  if (!top->parent || !info_of(x, top->parent)) {
    html_text_append_tree_if(&out, top, keep, x);
  } else {
    for (xmlNode *s = top->parent->children; s; s = s->next) {
      node_info *in = s->type == XML_ELEMENT_NODE ? info_of(x, s) : NULL;
      if (!in || !in->chosen) continue;
      html_text_break(&out);
      html_text_append_tree_if(&out, s, keep, x);
    }
  }
  return html_text_take(&out);
}

static xmlNode *find_body(xmlDoc *doc) {
  xmlNode *root = xmlDocGetRootElement(doc);
  if (!root) return NULL;
  for (xmlNode *c = root->children; c; c = c->next)
    if (html_is(c, "body")) return c;
  return root;
}

/* One run of the four passes with the filters `names_drop` and `clean`; NULL when out of
** memory, "" when nothing scored. */
static char *run(xmlNode *body, const char *title, int names_drop, int clean, size_t max) {
  extract x = {.names_drop = names_drop, .clean = clean, .title = title};
  measure(&x, body);
  char *text = NULL;
  if (!x.failed) {
    score_tree(&x, body);
    xmlNode *candidates[N_TOP];
    int n = best(&x, body, candidates);
    xmlNode *top = n ? refine(&x, candidates, n, body) : NULL;
    if (top) {
      choose(&x, top);
      text = write_chosen(&x, top, max);
    } else { /* no paragraph: what the page shows, but for what is never article text */
      html_text out = {.max = max};
      html_text_append_tree_if(&out, body, keep, &x);
      text = html_text_take(&out);
    }
  }
  /* the nodes' _private back to NULL: the next run numbers them again */
  for (xmlNode *node = body; node; node = html_next(node, body, node->type == XML_ELEMENT_NODE))
    node->_private = NULL;
  free(x.info);
  return text;
}

char *html_extract_body(xmlDoc *doc, const char *title, size_t max) {
  xmlNode *body = find_body(doc);
  if (!body) return strdup("");
  char *text = run(body, title, 1, 1, max);
  if (text && strlen(text) < (size_t)W.min_article_chars) {
    char *again = run(body, title, 0, 0, max);
    if (again && (double)strlen(again) >= W.retry_gain * (double)strlen(text)) {
      free(text);
      text = again;
    } else {
      free(again);
    }
  }
  return text;
}
