function (newDoc, oldDoc, userCtx, secObj) {
  // The rules of a team database of article-annotator (format
  // "article-annotator-sync", version 1; README "Team sync: setting up CouchDB").
  // CouchDB runs this for every write but an admin's; it must stay ES5 (no let,
  // const, arrow functions or template strings): CouchDB's JavaScript engine
  // guarantees no more. `cargo xtask couch` installs it as
  // _design/article-annotator and replaces the role on the next line.
  var ADJUDICATOR_ROLE = "adjudicator";
  var FORMAT = "article-annotator-sync";
  var VERSION = 1;
  var GOLD = "gold";
  // RFC 3339 date-time, e.g. 2026-12-01T09:30:00.000Z or 2026-12-01T10:30:00+01:00.
  var RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

  var ctx = userCtx || {};
  var roles = ctx.roles || [];
  var id = newDoc._id;

  function forbid(message) {
    throw({forbidden: (typeof id === "string" ? id + ": " : "") + message});
  }
  function has(list, item) {
    for (var i = 0; i < (list || []).length; i++) {
      if (list[i] === item) return true;
    }
    return false;
  }
  function kind(value) {
    if (value === undefined) return "missing";
    if (value === null) return "null";
    if (Object.prototype.toString.call(value) === "[object Array]") return "an array";
    return "a " + typeof value;
  }
  function shown(value) {
    return value === undefined ? "nothing: the field is missing" : JSON.stringify(value);
  }
  function isObject(value) {
    return typeof value === "object" && value !== null && kind(value) !== "an array";
  }
  function requireString(obj, field, where, nonEmpty) {
    var value = obj[field];
    if (value === undefined) forbid("\"" + where + field + "\" is missing: it must be a string.");
    if (typeof value !== "string") {
      forbid("\"" + where + field + "\" must be a string, but it is " + kind(value) + ".");
    }
    if (nonEmpty && value === "") forbid("\"" + where + field + "\" must not be empty.");
    return value;
  }
  function optionalString(obj, field) {
    if (obj[field] !== undefined && typeof obj[field] !== "string") {
      forbid("\"" + field + "\" is optional; when present it must be a string, but it is " + kind(obj[field]) + ".");
    }
  }
  function requireTime(field) {
    var value = requireString(newDoc, field, "", true);
    if (!RFC3339.test(value)) {
      forbid("\"" + field + "\" must be an RFC 3339 date-time such as 2026-12-01T09:30:00.000Z, not \"" + value + "\".");
    }
  }
  function requireOffset(position, field) {
    var value = position[field];
    if (typeof value !== "number" || value < 0 || Math.floor(value) !== value) {
      forbid("\"target.position." + field + "\" must be a whole number >= 0 (a code-point offset), not " + (typeof value === "number" ? value : kind(value)) + ".");
    }
    return value;
  }

  // Admins may write anything: repairs, migrations, design documents.
  if (has(roles, "_admin")) return;

  if (typeof ctx.name !== "string" || ctx.name === "") {
    forbid("log in first: anonymous writes are refused (send the name and password of a member of the team).");
  }
  var members = (secObj && secObj.members) || {};
  var listed = (members.names || []).length + (members.roles || []).length > 0;
  if (listed && !has(members.names, ctx.name)) {
    var member = false;
    for (var r = 0; r < roles.length; r++) {
      if (has(members.roles, roles[r])) member = true;
    }
    if (!member) {
      forbid("user \"" + ctx.name + "\" is not a member of this database: an admin must give them one of the member roles (" + (members.roles || []).join(", ") + ") in their _users document.");
    }
  }
  if (newDoc._deleted === true) {
    // A revision of one's own annotation may go: that is how a conflict is resolved,
    // once the widget has merged its leaves into the winner. Removing an annotation
    // is a marker document, so that every teammate's copy learns of it.
    var own = oldDoc && oldDoc.type === "annotation" && (oldDoc.creator === ctx.name || (oldDoc.creator === GOLD && has(roles, ADJUDICATOR_ROLE)));
    if (own) return;
    forbid("documents of a team database are never deleted but by their annotator resolving a conflict; to remove an annotation, write it again with \"deleted\": true and empty \"labels\" (a marker document), so that every teammate's copy learns of it.");
  }
  if (typeof id === "string" && id.indexOf("_design/") === 0) {
    forbid("design documents are the database admin's: ask an admin to run `cargo xtask couch`.");
  }
  if (newDoc.format !== FORMAT) {
    forbid("not an article-annotator document: \"format\" must be \"" + FORMAT + "\" (found " + shown(newDoc.format) + ").");
  }
  if (newDoc.version !== VERSION) {
    forbid("\"version\" must be " + VERSION + " (found " + shown(newDoc.version) + "); a newer widget may need a newer database: ask the admin.");
  }
  var documentId = requireString(newDoc, "document", "", true);

  // Before the _id checks, which would also catch these, but less clearly.
  if (oldDoc && !oldDoc._deleted) {
    if (oldDoc.creator !== newDoc.creator) {
      forbid("the creator of an existing document cannot change (it was " + shown(oldDoc.creator) + "): write a new document instead.");
    }
    if (oldDoc.document !== newDoc.document) {
      forbid("the document of an existing document cannot change (it was " + shown(oldDoc.document) + "): write a new document instead.");
    }
  }

  if (newDoc.type === "annotation") {
    var annotation = requireString(newDoc, "annotation", "", true);
    var creator = requireString(newDoc, "creator", "", true);
    var labels = newDoc.labels;
    if (kind(labels) !== "an array") forbid("\"labels\" must be an array of label names, e.g. [\"claim\"], but it is " + kind(labels) + ".");
    for (var l = 0; l < labels.length; l++) {
      if (typeof labels[l] !== "string" || labels[l] === "") forbid("\"labels\" must hold only non-empty strings; item " + l + " is " + (labels[l] === "" ? "empty" : kind(labels[l])) + ".");
    }
    optionalString(newDoc, "note");
    var marker = newDoc.deleted === true;
    var target = newDoc.target;
    // A deletion marker carries no target (the annotation is gone), but when it has one it is checked.
    if (!(marker && target === undefined)) {
    if (!isObject(target)) forbid("\"target\" must be an object { quote: { exact, prefix, suffix }, position: { start, end } }, but it is " + kind(target) + ".");
    if (!isObject(target.quote)) forbid("\"target.quote\" must be an object { exact, prefix, suffix }, but it is " + kind(target.quote) + ".");
    requireString(target.quote, "exact", "target.quote.", false);
    requireString(target.quote, "prefix", "target.quote.", false);
    requireString(target.quote, "suffix", "target.quote.", false);
    if (!isObject(target.position)) forbid("\"target.position\" must be an object { start, end }, but it is " + kind(target.position) + ".");
    var start = requireOffset(target.position, "start");
    var end = requireOffset(target.position, "end");
    if (end < start) forbid("\"target.position.end\" (" + end + ") must not be before \"start\" (" + start + ").");
    }
    if (!(marker && newDoc.created === undefined)) requireTime("created");
    requireTime("modified");
    if (!isObject(newDoc.versions)) forbid("\"versions\" must be an object (the merge's version stamps), but it is " + kind(newDoc.versions) + ".");
    if (newDoc.deleted !== undefined && typeof newDoc.deleted !== "boolean") forbid("\"deleted\" is optional; when present it must be true or false, but it is " + kind(newDoc.deleted) + ".");
    if (newDoc.deleted === true && labels.length > 0) forbid("a deletion marker (\"deleted\": true) must have empty \"labels\".");
    var wanted = "ann:" + encodeURIComponent(documentId) + ":" + encodeURIComponent(creator) + ":" + encodeURIComponent(annotation);
    if (id !== wanted) forbid("the _id of this annotation must be \"" + wanted + "\" (\"ann:\" + encodeURIComponent of document, creator and annotation, joined by \":\").");
    if (creator === GOLD) {
      if (!has(roles, ADJUDICATOR_ROLE)) forbid("only adjudicators (role \"" + ADJUDICATOR_ROLE + "\") may write the gold set (creator \"gold\"); user \"" + ctx.name + "\" does not have that role.");
    } else if (creator !== ctx.name) {
      forbid("each annotator writes only their own annotations: \"creator\" is \"" + creator + "\" but you are logged in as \"" + ctx.name + "\".");
    }
  } else if (newDoc.type === "text") {
    requireString(newDoc, "text", "", false);
    requireString(newDoc, "fingerprint", "", true);
    optionalString(newDoc, "title");
    optionalString(newDoc, "lang");
    var textId = "text:" + encodeURIComponent(documentId);
    if (id !== textId) forbid("the _id of this article text must be \"" + textId + "\" (\"text:\" + encodeURIComponent(document)).");
  } else {
    forbid("\"type\" must be \"annotation\" or \"text\" (found " + shown(newDoc.type) + ").");
  }
}
