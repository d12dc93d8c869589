//! Per-language data for the segmenter: word lists and a few switches, no code
//! per language. One pass in `mod.rs` reads a [`Rules`] value; adding a
//! language is adding a table here.
//!
//! Every word list is lowercase and sorted (checked by a unit test), so a
//! lookup is a binary search and the lists cost only their bytes in the wasm.

/// A language the segmenter knows, found by its ISO 639-1 code.
///
/// ```
/// use article_annotator::core::segment::Lang;
/// assert_eq!(Lang::from_code("de-AT").map(Lang::code), Some("de"));
/// let chosen = Lang::resolve("xx");
/// assert!(chosen.fell_back && chosen.lang == Lang::ENGLISH);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lang(u8);

/// What [`Lang::resolve`] chose for a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    /// The language to segment in.
    pub lang: Lang,
    /// `true` when the code named no supported language and English was taken instead.
    pub fell_back: bool,
}

impl Lang {
    /// English: what [`super::segment`] uses, and the fallback for unknown codes.
    pub const ENGLISH: Lang = Lang(0);

    /// The language of an ISO 639-1 code, case-insensitive; a BCP 47 tag is
    /// read by its primary subtag ("pt-BR", "de_AT" -> German). `None` when
    /// the segmenter has no rules for it.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or("");
        LANGS
            .iter()
            .position(|r| r.code.eq_ignore_ascii_case(primary))
            .and_then(|i| u8::try_from(i).ok())
            .map(Lang)
    }

    /// The language of `code`, or English when there is none, saying which.
    pub fn resolve(code: &str) -> Resolved {
        match Lang::from_code(code) {
            Some(lang) => Resolved {
                lang,
                fell_back: false,
            },
            None => Resolved {
                lang: Lang::ENGLISH,
                fell_back: true,
            },
        }
    }

    /// The ISO 639-1 code ("en", "de", ...).
    pub fn code(self) -> &'static str {
        self.rules().code
    }

    /// Every supported language, English first.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..LANGS.len())
            .filter_map(|i| u8::try_from(i).ok())
            .map(Lang)
    }

    pub(super) fn rules(self) -> &'static Rules {
        LANGS.get(usize::from(self.0)).unwrap_or(&EN)
    }
}

impl Default for Lang {
    fn default() -> Self {
        Lang::ENGLISH
    }
}

/// A word list: lowercase words, sorted, separated by single spaces, in one
/// string (a slice of `&str` would add 8 bytes of pointer per word to the wasm).
#[derive(Debug, Clone, Copy)]
pub(super) struct Words(pub &'static str);

impl Words {
    /// The words, in order.
    #[cfg(test)]
    pub fn iter(self) -> impl Iterator<Item = &'static str> {
        self.0.split(' ').filter(|w| !w.is_empty())
    }

    /// Whether `word`, already lowercase, is in the list: a binary search
    /// over the string, each probe widened to the word it falls in.
    pub fn contains(self, word: &[char]) -> bool {
        let text = self.0;
        let bytes = text.as_bytes();
        // `lo` is always the start of a word, `hi` the end of one.
        let (mut lo, mut hi) = (0, bytes.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let start = bytes[lo..mid]
                .iter()
                .rposition(|&b| b == b' ')
                .map_or(lo, |p| lo + p + 1);
            let end = bytes[start..hi]
                .iter()
                .position(|&b| b == b' ')
                .map_or(hi, |p| start + p);
            let probe = text.get(start..end).unwrap_or("");
            match probe.chars().cmp(word.iter().copied()) {
                std::cmp::Ordering::Equal => return true,
                std::cmp::Ordering::Less => lo = end + 1,
                std::cmp::Ordering::Greater => hi = start,
            }
        }
        false
    }
}

/// How one language writes sentence ends and the things that look like them.
#[derive(Debug)]
pub(super) struct Rules {
    /// ISO 639-1 code.
    pub code: &'static str,
    /// Titles and words that stand before a name or number and so practically
    /// never end a sentence ("Dr.", "Prof.", "ул.").
    pub titles: Words,
    /// Abbreviations that may end a sentence: never before a digit or a
    /// lowercase word; before a capitalised word see `abbreviation_needs_starter`.
    pub abbreviations: Words,
    /// Abbreviations that stand before a number and are words otherwise
    /// (Spanish "No. 5" but "no."): they end no sentence before a digit.
    pub numbers: Words,
    /// Clock-time abbreviations ("a.m.").
    pub times: Words,
    /// Words that, capitalised after an abbreviation or initial, start a new sentence.
    pub starters: Words,
    /// Words that qualify a clock time ("9 p.m. Sunday").
    pub time_qualifiers: Words,
    /// Words that take a number after them ("Chapter 2."), which is then no list marker.
    pub numbered_nouns: Words,
    /// First words of a fronted time phrase ("At 5 a.m. Mr. Smith ...").
    pub fronted_prepositions: Words,
    /// Whether an abbreviation ends a sentence before a capitalised word only
    /// when that word is one of `starters` (`true`), or before any (English,
    /// where nouns are not capitalised).
    pub abbreviation_needs_starter: bool,
    /// Whether a period after a short number or roman numeral marks an ordinal
    /// that the sentence goes on after ("am 3. Oktober", "XII. Pluku").
    pub ordinal_dots: bool,
    /// Whether "." ends sentences (Armenian uses "։" or ":" instead).
    pub period: bool,
    /// Marks that end sentences in this language only, like "?" does (Greek ";").
    pub extra_terminators: &'static [char],
    /// In a script without case, a word of at most this many code points before
    /// a period is an initial ("കെ. പി."); 0 for none.
    pub caseless_initial_len: usize,
    /// Whether quotation marks and brackets pair up by their own kind
    /// („…“, »…«, «…», 「…」, 《…》), and a short quotation or bracket is kept
    /// whole: no sentence ends inside it except at its close.
    pub quotations_whole: bool,
    /// Whether a word is read after its elided article ("l'Avv." -> "Avv").
    pub elision: bool,
    /// Whether a period glued between a lowercase word and a capitalised one
    /// ends a sentence all the same ("жағдайы.XVIII ғасырдың").
    pub glued_sentences: bool,
    /// Whether citation marks glued to a sentence end belong to it ("1910.[14] Na").
    pub citations: bool,
    /// Whether a spaced ellipsis must be spaced all along (". . ."), so that
    /// "raak. ...en toen" is a period and then an ellipsis.
    pub strict_spaced_ellipsis: bool,
}

/// What every language but English starts from.
const BASE: Rules = Rules {
    code: "",
    titles: Words(""),
    abbreviations: Words(""),
    numbers: Words(""),
    times: Words(""),
    starters: Words(""),
    time_qualifiers: Words(""),
    numbered_nouns: Words(""),
    fronted_prepositions: Words(""),
    abbreviation_needs_starter: true,
    ordinal_dots: false,
    period: true,
    extra_terminators: &[],
    caseless_initial_len: 0,
    quotations_whole: true,
    elision: true,
    glued_sentences: true,
    citations: true,
    strict_spaced_ellipsis: true,
};

/// A language with no word lists or switches of its own.
const fn base(code: &'static str) -> Rules {
    Rules { code, ..BASE }
}

/// English: the Golden Rules, as `segment` has always applied them.
const EN: Rules = Rules {
    code: "en",
    titles: PREPOSITIVE,
    abbreviations: GENERAL,
    // Rupees before an amount ("Rs. 16720"); "rs" is no word that ends a sentence.
    numbers: Words("rs"),
    times: TIME,
    starters: SENTENCE_STARTERS,
    time_qualifiers: TIME_QUALIFIERS,
    numbered_nouns: NUMBERED_NOUNS,
    fronted_prepositions: FRONTED_PREPOSITIONS,
    abbreviation_needs_starter: false,
    ordinal_dots: false,
    period: true,
    extra_terminators: &[],
    caseless_initial_len: 0,
    quotations_whole: false,
    elision: false,
    glued_sentences: false,
    citations: false,
    strict_spaced_ellipsis: false,
};

/// Every language, English first (`Lang` indexes this).
const LANGS: &[Rules] = &[
    EN, DE, FR, ES, IT, PT, NL, PL, RU, UK, BG, DA, EL, AR, FA, HI, UR, MR, HY, KK, ZH, JA, AM, SK,
    MY, FI, HE, ML, PA,
];

/// German.
const DE: Rules = Rules {
    code: "de",
    titles: Words("dipl dr fr frl hr hrn ing mag med pfr prof sr st"),
    abbreviations: Words(
        "abb abs abt allg anm bd bspw bzgl bzw ca chr d.h dez dgl dt e.v ebd ehem einschl engl \
         entspr erg etc ev evtl feb geb gegr gem gest ggf hg hrsg i.a inkl jan jh jhd jr jun kap \
         kath lt max mind mio mrd nr o.ä okt op sep sept sog std str tel u.a u.ä usw v.a vgl z.b \
         z.t z.z ziff zzgl",
    ),
    starters: Words(
        "aber alle als am an auch auf aus bei da dabei damit danach dann das dass dem den denn der \
         deshalb dies diese dieser dieses doch dort du durch ein eine einen einer er es für heute \
         hier ich ihr im in jetzt kein man mit nach nun ob oder seit sie so um und unter viele vom \
         von vor wann warum was weil wenn wer wie wir wo zu zum zur",
    ),
    ordinal_dots: true,
    ..BASE
};

/// French.
const FR: Rules = Rules {
    code: "fr",
    titles: Words("dr me mgr mlle mlles mm mme mmes pr st ste"),
    abbreviations: Words(
        "apr art av avr bd c.-à-d cf chap coll déc dép env etc ex fig févr hab ibid janv juil max \
         min no nov n° oct p pp réf s sept suiv t tél vol vs éd",
    ),
    starters: Words(
        "alors après au aujourd aux avant avec c ce cela ces cet cette comme d dans de depuis des \
         du elle elles en enfin entre et il ils j je l la le les leur lors mais n nous on or par \
         pendant plus pour puis qu quand que qui s sa selon ses si son sur tout un une vous à",
    ),
    ..BASE
};

/// Spanish.
const ES: Rules = Rules {
    code: "es",
    titles: Words(
        "arq cnel d dr dra dres dña ee excma excmo gral ilmo ing lcda lcdo lic mons mt prof profa \
         sr sra sras sres srta sta sto tte",
    ),
    abbreviations: Words(
        "abr admón ago aprox art av avda cap col cía dcha dic dom dpto ej ene etc feb izq izqda \
         jue jul jun lun mar mié máx mín nov núm oct pza pág págs párr párrf s.a sep sept sáb tel \
         ud uds uu vd vds vie vol vs",
    ),
    numbers: Words("no"),
    starters: Words(
        "a ahora al allí aquí así cada como con cuando de del desde después durante el ella ellas \
         ellos en entonces esa ese eso esta este esto estos hay hoy la las lo los mi muchos nadie \
         ni no nosotros para pero por porque se según si sin sobre su sus también tras tu un una \
         unos y ya yo él",
    ),
    ..BASE
};

/// Italian.
const IT: Rules = Rules {
    code: "it",
    titles: Words(
        "amm arch avv cap col dir dott dott.ssa dr egr gen gent geom ill ing magg mons on prof \
         prof.ssa psicol rag rev sac sen sig sig.na sig.ra sigg spett ten",
    ),
    abbreviations: Words(
        "a.c ago apr art c.a ca cfr d.c dic ecc es etc feb fig giu kg km lug mar n nn nov ott p.es \
         pag pagg s.p.a s.r.l sec sett tel vol",
    ),
    numbers: Words("no"),
    starters: Words(
        "a al alla allora anche che chi ci come con così da dal dalla del della di dopo durante e \
         ed egli ella gli ha i il in io l la le lei lo loro lui ma mentre ne nel nella noi non \
         oggi ora per perché però poi quando quello questa questo se si sono su sul sulla tra tu \
         un una uno voi è",
    ),
    ..BASE
};

/// Portuguese.
const PT: Rules = Rules {
    code: "pt",
    titles: Words(
        "cap cel d dr dra drs eng exma exmo gen ilmo pe prof profa sr sra sras srs srta sta sto \
         ten",
    ),
    abbreviations: Words(
        "abr ago al aprox art av cf cia dez ed etc ex fev jan jul jun ltda mai máx mín n nov nº \
         núm out p pp pág págs set séc tel vol vs",
    ),
    numbers: Words("no"),
    starters: Words(
        "a ao aos as assim com como da das de depois do dos e ela elas ele eles em entre essa esse \
         esta este eu hoje isso isto já mas muitos na nas nem no nos não nós o os para pela pelo \
         por porque quando que se segundo sem sobre também um uma você",
    ),
    ..BASE
};

/// Dutch.
const NL: Rules = Rules {
    code: "nl",
    titles: Words("dhr dr drs ds ing ir mevr mgr mr mw prof st"),
    abbreviations: Words(
        "afb art aug bijv blz bv ca d.w.z dec e.a e.d enz etc feb jan jl jr m.b.t mrt n.chr nl nov \
         nr o.a okt p resp sep sept t.a.v t.o.v tel v.chr vgl z.g.a zgn",
    ),
    starters: Words(
        "daar daarna dan dat de deze die dit door een en er het hier hij hoe ik in je jij maar met \
         na nu of om omdat ook op toen u uit van veel voor waar wat we wie wij ze zij zo",
    ),
    ..BASE
};

/// Polish.
const PL: Rules = Rules {
    code: "pl",
    titles: Words("abp al bp doc dr gen hab inż kpt ks lek mgr mjr os por ppłk prof płk red ul św"),
    abbreviations: Words(
        "br cdn ds gm godz gr itd itp jw m.in m.st mld mln n.e np nr ok p.n.e pkt pl pn pow poz r \
         rys s sp str tab tel tj tys tzn tzw ub wg woj ww wyd zob zł",
    ),
    starters: Words(
        "a ale bo by co czy dlatego do dziś gdy i ja jak jednak jego jest już kiedy ktoś który my \
         na nie o od on ona one oni po pod potem przez przy się są ta tak te ten to tu tym w we \
         wtedy wy z za ze że",
    ),
    ordinal_dots: true,
    ..BASE
};

/// Russian.
const RU: Rules = Rules {
    code: "ru",
    titles: Words("акад ген гр дер доц им кв корп наб пгт пер пл пос просп проф св ст тов ул"),
    abbreviations: Words(
        "вв г гг гл гос др ед жен зав зам и.о изд искл к кг км коп макс мин млн млрд муж н.э напр \
         нач обл ок пр пред прим проч р рис руб сб сек см ср стр т.д т.е т.к т.н т.о т.п т.ч табл \
         тел тыс ч чел шт э экз",
    ),
    // "в" is no starter: "1898 г. В 1854 году" goes on after the year (both peer suites).
    starters: Words(
        "а во вот все вы да для до его ее если еще её же за здесь и из их к как когда кто мы на \
         не но о об однако он она они оно от по после потом поэтому при с сегодня со так там \
         теперь тогда только у уже что эта эти это этот я",
    ),
    ..BASE
};

/// Ukrainian.
const UK: Rules = Rules {
    code: "uk",
    titles: Words("акад буд бульв вид вул доц журн кв майд пл пров просп проф св смт чл ім"),
    abbreviations: Words(
        "год гр грн див заст зб зокр кг км коп млн млрд н.е напр обл п пп рис рр сек ст стор т.д \
         т.зв т.п табл тис хв ч шт ін",
    ),
    starters: Words(
        "а але в вже ви вона вони воно все від він для до з за зараз й його коли ми на не ні о \
         однак от по потім при про проте після сьогодні та так там тепер ти тоді тому тут у це цей \
         ця ці через що я як який якщо і із їх",
    ),
    ..BASE
};

/// Bulgarian.
const BG: Rules = Rules {
    code: "bg",
    titles: Words("акад ап бл бул вх гр доц ет ж.к инж кв пл проф св ул"),
    abbreviations: Words(
        "бр вж вкл г др изд кг км лв мин млн млрд напр обл прибл с сек ст стр т.е т.н т.нар хил ч \
         чл",
    ),
    starters: Words(
        "а аз в вие все във да днес до за затова и или как като когато кой който на не ние но \
         обаче от по при с само сега след със тази там те тези ти то това тогава този той тук тя \
         че",
    ),
    ..BASE
};

/// Danish.
const DA: Rules = Rules {
    code: "da",
    titles: Words("dr fr frk hr prof skt st"),
    abbreviations: Words(
        "adr afd ang apr aug bl.a ca cand dec dvs e.kr eks el etc evt f.eks f.kr feb fhv fx gl hhv \
         incl inkl jan jf jul jun kap kl kr m.fl m.m mht mia mio nov nr n° nº o.l okt osv pga pkt \
         s sep sept stk t.o.m tlf vedr vha årh",
    ),
    starters: Words(
        "af alle at da de dem den der derfor det du efter en et for fra han hans har her hun hvad \
         hvem hvis hvor hvordan hvorfor i ikke jeg man med men mens nu når og om på se sig som så \
         til vi vil",
    ),
    ordinal_dots: true,
    ..BASE
};

/// Greek.
const EL: Rules = Rules {
    code: "el",
    titles: Words("αγ δρ κ κα καθ στρ"),
    abbreviations: Words(
        "απρ αρ αυγ βλ δεκ δηλ δισ εκ εκατ ιαν ιουλ ιουν κ.ά κ.α κ.λπ κτλ λ.χ μ.μ μ.χ μαρ νοε οδ \
         οκτ π.μ π.χ περ σελ σεπ τ.μ τηλ φεβ χλμ",
    ),
    starters: Words(
        "ένα ένας αλλά αν από αυτά αυτή αυτό αυτός για γιατί δεν εγώ εδώ εκεί εμείς ενώ επίσης \
         εσείς εσύ η θα και μία με μετά μια να ο οι ποιος πώς σήμερα σε στα στη στην στο στον τα \
         τη την τι τις το τον τους τότε όμως όταν",
    ),
    extra_terminators: &[';', '\u{37e}'],
    ..BASE
};

/// Arabic.
const AR: Rules = Rules {
    code: "ar",
    titles: Words("أ د"),
    abbreviations: Words("ج ص"),
    ..BASE
};

/// Persian.
const FA: Rules = base("fa");

/// Hindi.
const HI: Rules = Rules {
    code: "hi",
    titles: Words("डॉ प्रो"),
    abbreviations: Words("ई ई.पू पृ सं"),
    ..BASE
};

/// Urdu.
const UR: Rules = base("ur");

/// Marathi.
const MR: Rules = Rules {
    code: "mr",
    titles: Words("डॉ प्रा सौ"),
    abbreviations: Words("इ.स इ.स.पू क्र पृ"),
    ..BASE
};

/// Armenian.
const HY: Rules = Rules {
    code: "hy",
    period: false,
    extra_terminators: &[':'],
    ..BASE
};

/// Kazakh.
const KK: Rules = Rules {
    code: "kk",
    titles: Words("акад даң доц көш проф"),
    abbreviations: Words("б.з б.з.б ж жж мин млн млрд мыс обл сағ т.б т.с.с тг ш ғ ғғ"),
    starters: Words(
        "алайда біз бірақ бүгін бұл егер енді және кейін мен мұнда ол олар онда осы сен содан сол \
         сондықтан сіз қазір",
    ),
    ..BASE
};

/// Chinese.
const ZH: Rules = base("zh");

/// Japanese.
const JA: Rules = base("ja");

/// Amharic.
const AM: Rules = Rules {
    code: "am",
    abbreviations: Words("ዓ.ም ዓ.ዓ"),
    ..BASE
};

/// Slovak.
const SK: Rules = Rules {
    code: "sk",
    titles: Words(
        "bc doc gen ing judr kpt mgr mjr mudr npor nám paeddr phdr plk pp prof rndr sv ul",
    ),
    abbreviations: Words(
        "a.s apr atď aug bl cca dec ev feb hod jan júl jún max mil min mld n.l napr nov ods okt \
         p.n.l príp písm r.o resp roč s.r.o sep sl spol st stor str tel tis tj tzv vyd zb zv č čl",
    ),
    starters: Words(
        "a aj ak ako ale by dnes do ja je k keď kto ku lebo my na nie no o od on ona oni ono po \
         pod potom pre preto pri s sa so tak tam teda ten tento to toto tu táto v vo vy však z za \
         zo čo že",
    ),
    ordinal_dots: true,
    ..BASE
};

/// Burmese.
const MY: Rules = base("my");

/// Finnish.
const FI: Rules = Rules {
    code: "fi",
    titles: Words("dos dr hra prof rva tri"),
    abbreviations: Words(
        "eaa ekr esim jaa jkr jne kk klo ko ks milj ml mm mrd n nk nro ns os puh s tms vrt vs ym \
         yms",
    ),
    starters: Words(
        "ei että he hän ja jos koska kuitenkin kun me minä mutta myös ne nyt nämä oli on se siellä \
         siksi sinä sitten te tuo tämä täällä vaikka",
    ),
    ordinal_dots: true,
    ..BASE
};

/// Hebrew.
const HE: Rules = base("he");

/// Malayalam.
const ML: Rules = Rules {
    code: "ml",
    titles: Words("dr mr mrs prof ഡോ പ്രൊ മി ശ്രീ"),
    caseless_initial_len: 2,
    ..BASE
};

/// Punjabi.
const PA: Rules = Rules {
    code: "pa",
    titles: Words("ਡਾ ਪ੍ਰੋ"),
    ..BASE
};

// ---------------------------------------------------------------------------
// English word lists
// ---------------------------------------------------------------------------

/// Abbreviations that stand before a name or number and so practically never
/// end a sentence ("Mr. Smith", "Gen. Milley", "vs. Spain").
pub(super) const PREPOSITIVE: Words = Words(
    "adm amb atty brig capt cdr cf cmdr col cpl det dr e.g fr ft gen gov hon i.e insp lt maj \
     messrs mlle mme mr mrs ms msgr mt pres prof pvt rep reps rev sen sens sgt st ste supt viz vs",
);

/// Abbreviations that may end a sentence: they end it before a capitalised
/// word ("Briggs & Co. It closed") but not before a number ("Jan. 15", "No. 5").
pub(super) const GENERAL: Words = Words(
    "al approx apr assn assoc asst aug ave avg bldg blvd bros ca ch chap co corp ct dec dept dist \
     div ed eds esq est etc feb fig figs fl gal govt hr hrs hwy inc incl intl jan jr jul jun lb \
     lbs ln ltd mar max mfg mgr min misc mo mos mph natl no nos nov nr n° nº oct op oz p para pct \
     pg pl pp pt rd ref sec sep sept sq sr sts tel univ vol vols yr yrs",
);

/// Clock-time abbreviations: they end a sentence before a capital unless a
/// day, month or time zone follows or the clause is only a fronted time phrase.
pub(super) const TIME: Words = Words("a.m p.m");

/// Words that, capitalised after "U.S." and the like, start a new sentence;
/// other capitalised words there are usually names ("U.S. Government").
pub(super) const SENTENCE_STARTERS: Words = Words(
    "a after all also an and another as at because being both but by despite did during each even \
     for from he her here his how however i if in it its many meanwhile millions more most my no \
     not now on once one only our she since so some still that the their then there these they \
     this those though thus to under we what when where whether which while who why with yet you",
);

/// Words that qualify a clock time ("9 p.m. Sunday", "5 a.m. GMT").
pub(super) const TIME_QUALIFIERS: Words = Words(
    "april august bst cdt cest cet cst december edt eet est et february fri friday gmt january \
     july june march may mon monday msk november october pdt pst pt sat saturday september sun \
     sunday thu thurs thursday tue tues tuesday utc wed wednesday",
);

/// Words that take a number after them ("Chapter 2.", "Round 3."): a number
/// there is part of the sentence, not a list marker.
pub(super) const NUMBERED_NOUNS: Words = Words(
    "act article book chapter day episode game grade lesson level no number page part phase round \
     rule scene season section stage step verse vol volume week",
);

/// First words of a fronted time phrase ("At 5 a.m. Mr. Smith went ...").
pub(super) const FRONTED_PREPOSITIONS: Words =
    Words("about after around at before beginning by from since starting till until");
