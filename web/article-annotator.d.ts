// Types of the module `article-annotator.js` (the loader of both builds). Importing the
// module mounts a widget on every [data-article-annotator] element, now and when one is
// added. A handle stays valid when the module swaps in the full build.

/** A label on offer; names are one word, keys one character (not 0, j, k, n or ?). */
export interface LabelSpec {
  name: string;
  key: string;
  /** A CSS colour: "#b45309", "rgb(180 83 9)", "teal"... */
  color: string;
  /** The non-colour cue: the underline style. */
  line?: "solid" | "double" | "dashed" | "dotted" | "wavy";
  /** What the label means (at most 400 characters): shown in the picker, the help and the Guidelines panel. */
  description?: string;
}

export interface MountOptions {
  /** The article text. Line breaks separate paragraphs. */
  text: string;
  /** Names the storage key; default: the page path plus the widget's number. */
  docId?: string;
  /** The article's URL, the target source in W3C exports; default: the page. */
  source?: string;
  /** Default: claim (1), quote (2), position (3). */
  labels?: LabelSpec[];
  /** Reading, navigating and exporting only. */
  readOnly?: boolean;
  /** "local" (default): localStorage; "none": the host keeps the annotations. */
  storage?: "local" | "none";
  /** The article's title, as the library lists it; default: its first line. */
  title?: string;
  /**
   * Adds the library around the article: New article (paste, fetch), open or drop a
   * .txt/.md/.html file, the list of every document annotated in this browser, Export
   * all / Import library, and the open document and sentence in the page URL's
   * fragment (#aa-doc=ID&s=N). Needs storage "local". Attribute: data-library.
   */
  library?: boolean;
  /**
   * The article's language, an ISO 639-1 code ("de", "uk"): sentences are segmented by
   * its rules. Default: `data-lang`, else the nearest `lang` attribute of the page, else
   * English. A language without rules is segmented as English.
   */
  lang?: string;
  /**
   * The interface's language, a language tag ("uk", "uk-UA"), when it should differ from
   * the article's. Default: `data-ui-lang`, else the article's language, else English.
   * English, Ukrainian, German, French and Spanish; any other is English.
   */
  uiLang?: string;
  /** Who annotates: the name in the tables of Export CSV and Export .jsonl. Attribute: data-annotator. Default "reader". */
  annotator?: string;
}

export interface Annotation {
  id: string;
  labels: string[];
  note?: string;
  target: {
    quote: { exact: string; prefix: string; suffix: string };
    /** Unicode code points into the article text. */
    position: { start: number; end: number };
  };
  created: string;
  modified: string;
  /** The sentence it is on, or null for an orphan (its text is no longer in the article). */
  sentence?: number | null;
}

export interface SentenceChange {
  sentence: number;
  text: string;
  labels: string[];
  annotation: Annotation | null;
}

export interface ChangeEvent {
  /** "user": keys, clicks, undo; "import": the Import dialog; "api": setAnnotations / importJson. */
  source: "user" | "import" | "api";
  changes: SentenceChange[];
  tagged: number;
  total: number;
  orphans: number;
}

export interface SelectEvent {
  sentence: number;
  text: string;
  labels: string[];
}

export interface ImportResult {
  format: "native" | "w3c";
  imported: number;
  skipped: { path: string; message: string }[];
}

export interface WidgetHandle {
  readonly docId: string;
  annotations(): Annotation[];
  setAnnotations(list: Annotation[]): void;
  exportJson(format?: "native" | "w3c"): string;
  importJson(text: string, mode?: "merge" | "replace"): ImportResult;
  /** Focuses sentence `sentence` (0-based), rendering and scrolling to it; throws if there is no such sentence. */
  focus(sentence: number): void;
  on(event: "change", callback: (event: ChangeEvent) => void): void;
  on(event: "select", callback: (event: SelectEvent) => void): void;
  off(event: "change" | "select", callback: (event: never) => void): void;
  /**
   * Removes the widget; the element gets its own content back. An auto-mounted element is
   * then marked `data-aa-destroyed` and left alone; `mount()` on it, or removing that
   * attribute, gives it a widget again. Any other method then throws.
   */
  destroy(): void;
}

/** Mounts a widget; throws an Error naming every problem in the options. */
export function mount(element: Element, options: MountOptions): WidgetHandle;

/**
 * The handle of the widget on `element` (auto-mounted ones included) once it shows its
 * article, else `undefined` (an auto-mounted widget prepares its article first).
 */
export function widgetFor(element: Element): WidgetHandle | undefined;
