//! Every code ketacalc reports, declared once with what it means and how to fix it:
//! `validate`'s diagnostics (`--format json` `code`, SARIF `ruleId`, GitHub `title`) and
//! the warnings of a computed batch (`batch --format json` `warnings[].code`).
//!
//! A code is a [`Code`]: the compiler refuses a code that is not declared, and a match on
//! one lists every code. The table of codes in `docs/codes.md` is generated from
//! [`Code::ALL`] (a test compares them), SARIF output takes its rules from it, the output
//! schema its warning codes, and a test reads the sources to check that every code
//! declared is emitted somewhere.

/// How a code is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A `validate` error: the formula cannot be used (`batch`, `show` and `label` refuse it).
    Error,
    /// A `validate` warning, which the worksheet and the batch's JSON warnings repeat.
    Warning,
    /// Either, by what it stands for (`too-many-diagnostics`).
    ErrorOrWarning,
    /// A warning of a computed batch only (`batch --format json` `warnings[].code`).
    BatchWarning,
}

impl Kind {
    /// How the table of codes says it.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Error => "error",
            Kind::Warning => "warning",
            Kind::ErrorOrWarning => "error or warning",
            Kind::BatchWarning => "batch warning",
        }
    }

    /// Returns true if and only if a batch's `warnings[]` can hold it: a batch warning, or a
    /// warning of the formula, which the batch repeats (`too-many-diagnostics` too, when
    /// what it counts are warnings: a formula of 200,000 written-out quantities).
    pub fn is_batch_warning(self) -> bool {
        matches!(self, Kind::Warning | Kind::BatchWarning | Kind::ErrorOrWarning)
    }

    /// Returns true if and only if `validate` can report it.
    pub fn is_validate(self) -> bool {
        self != Kind::BatchWarning
    }
}

/// Declares [`Code`]: each variant with its kebab-case name, how it is reported, what it
/// means and how to fix it, in the order `docs/codes.md` lists them.
macro_rules! codes {
    ($($variant:ident = $name:literal, $kind:ident, $meaning:literal, $fix:literal;)*) => {
        /// A code ketacalc reports (`docs/codes.md`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $meaning]
                $variant,
            )*
        }

        impl Code {
            /// Every code, grouped as `docs/codes.md` lists them: the file, its keys and
            /// values, the formula's rules, the set of files, the dry run of the reference
            /// batch, then warnings.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code, kebab-case, as JSON, SARIF and GitHub output print it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// How it is reported.
            pub fn kind(self) -> Kind {
                match self {
                    $(Code::$variant => Kind::$kind,)*
                }
            }

            /// What it means, one sentence.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                }
            }

            /// How to fix it, one sentence.
            pub fn fix(self) -> &'static str {
                match self {
                    $(Code::$variant => $fix,)*
                }
            }
        }
    };
}

codes! {
    Unreadable = "unreadable", Error,
        "the file or folder cannot be read (missing, no permission, a named pipe, a link that dangles or loops)",
        "check the path; give a regular file or a folder";
    FileTooLarge = "file-too-large", Error,
        "the file is over 1 MiB, or holds more than 50,000 TOML items (keys, values, tables, arrays); formula files are small text files",
        "give the right file; split nothing: one formula per file";
    LinkOutside = "link-outside", Error,
        "a symbolic link in a formulary folder points outside it, and is not followed",
        "copy the formula into the folder, or link to a file inside it";
    NotUtf8 = "not-utf8", Error,
        "the file is not UTF-8 text",
        "save the file as UTF-8";
    TomlSyntax = "toml-syntax", Error,
        "the file is not valid TOML (or a key is written twice)",
        "fix the TOML at the place shown; quantities are quoted strings like `\"100 mg/mL\"`";
    TooManyDiagnostics = "too-many-diagnostics", ErrorOrWarning,
        "the file has more than 200 problems; the rest are counted, not shown",
        "fix those shown and check the file again";
    UnknownKey = "unknown-key", Error,
        "a key the format does not have (often a typo such as `ammount`)",
        "use the key suggested, or remove it";
    MissingKey = "missing-key", Error,
        "a required key or table is missing (`preserved` when aqueous, `[device]` values, `[[ingredients]]`)",
        "add the key the message names, as the help line shows";
    WrongType = "wrong-type", Error,
        "a value of the wrong TOML type (a number where text is needed, a table where a string is)",
        "write the value as the message says, e.g. a quoted string";
    TomlFloat = "toml-float", Error,
        "a TOML float, which passes through binary floating point and can lose digits",
        "write the quantity as a quoted string with its unit: `\"50.0 mg\"`";
    BadInteger = "bad-integer", Error,
        "a whole number below zero or outside TOML's 64-bit range",
        "write a whole number from 0 upward";
    BadNumber = "bad-number", Error,
        "a number that does not follow the grammar (sign, exponent, `_`, a bare point, too many digits) or cannot be converted exactly",
        "write digits with an optional point, like `12.5`, without a sign";
    BadUnit = "bad-unit", Error,
        "an unknown unit, a missing unit, or a bare `%` in an amount",
        "use a unit of the table in docs/formulas.md (`mg/mL`, `%w/w`, `mg/troche`); say `%w/w`, `%w/v` or `%v/v`";
    WrongDimension = "wrong-dimension", Error,
        "a quantity of the wrong kind for the key (a mass where a volume is needed; a solubility of another kind than the amount)",
        "give a quantity of the kind the message names";
    BadValue = "bad-value", Error,
        "a word that is not one of the key's choices, or a value out of its range",
        "use one of the values the help line lists";
    BadId = "bad-id", Error,
        "an id that does not match `[a-z0-9][a-z0-9.-]{0,63}`",
        "use lowercase letters, digits, `.` and `-`";
    EmptyValue = "empty-value", Error,
        "a required text is empty",
        "write the value";
    HiddenCharacter = "hidden-character", Error,
        "a string holds a hidden character: a control character other than line feed and tab (a CR, an escape), a bidirectional control (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F) or U+2028/U+2029",
        "remove it (for a CR in a multi-line string, save the file with LF line endings): text is printed on worksheets, labels and terminals";
    Format = "format", Error,
        "a file format other than 1",
        "write `format = 1`";
    AmountForm = "amount-form", Error,
        "an amount form the dosage form does not allow (`mg/mL` in a cream, `%w/w` in a troche)",
        "use a form of the dosage form's basis: `mg/mL` or `%w/v` for liquids, `%w/w` for creams, `mg/troche` for troches";
    ZeroAmount = "zero-amount", Error,
        "an amount, batch quantity or fill of zero",
        "give the real amount, or remove the ingredient";
    FillOverCapacity = "fill-over-capacity", Error,
        "`[batch] fill` is more than one container takes (`capacity`)",
        "give a fill of at most the capacity, or the capacity of the container the formula names";
    ZeroFactor = "zero-factor", Error,
        "a factor that divides or multiplies a weight is zero (purity, density, molecular weight, displacement, `per_ml`)",
        "give the measured value";
    PurityUnder1 = "purity-under-1", Error,
        "a purity under 1%",
        "a purity is from `1%` to `100%`";
    PurityOver100 = "purity-over-100", Error,
        "a purity over 100%",
        "a purity is at most `100%`; give a lot's assay with `--assay`";
    BadTolerance = "bad-tolerance", Error,
        "a `tolerance` or `strength_tolerance` is not above 0% and at most 20%",
        "give how far a figure may be from its target, like `2%`, or leave it out for the default (2% for an active or scheduled ingredient, 5% otherwise; 5% for a strength)";
    MissingBasis = "missing-basis", Error,
        "an active does not say whether its strength is of the salt or the base",
        "add `basis = \"salt\"` or `basis = \"base\"`";
    MolecularWeights = "molecular-weights", Error,
        "one molecular weight without the other",
        "give both `molecular_weight` and `base_molecular_weight`, or neither";
    MissingDensity = "missing-density", Error,
        "an ingredient measured by volume whose mass is needed (or the reverse) has no `density`",
        "add the ingredient's `density`";
    UnexpectedKey = "unexpected-key", Error,
        "a key that does not apply here (`fill` on a cream, a displacement factor outside molded forms or on the qs)",
        "remove the key";
    Stock = "stock", Error,
        "a `stock` that cannot be used: not a mass per volume, on a cream or molded form or the `qs`, with `purity`, `density`, `measure` or `solubility`, or on an amount that is a volume",
        "give the solution's strength as a mass per volume (`50 mg/mL`, `1:750 w/v`) on a liquid's or an infusion's ingredient, and remove the keys named";
    StockBasis = "stock-basis", Error,
        "a `stock_basis` other than the ingredient's `basis` without the molecular weights to convert it (or without a `basis`)",
        "give `basis` and both molecular weights, or remove `stock_basis` when the vial is labelled in the ingredient's basis";
    MissingTable = "missing-table", Error,
        "an `iv-infusion` without its `[dose]` or `[infusion]` table",
        "add the table with the keys the help names (SPEC §8.2)";
    DoseRule = "dose-rule", Error,
        "`[dose]` with both or neither of `per_kg` and `fixed`, or a rule under the wrong one (`per_kg = \"35 mg\"`)",
        "write `per_kg = \"0.5 mg/kg\"` or `fixed = \"35 mg\"`";
    Duration = "duration", Error,
        "an infusion time under 1 minute or over 24 hours",
        "give the infusion time, such as `40 min` or `1 h`";
    Bag = "bag", Error,
        "an infusion bag over 5 L",
        "give the bag's nominal volume, such as `100 mL`";
    Overfill = "overfill", Error,
        "an infusion bag's `overfill` larger than its nominal volume",
        "give the bag's fill above nominal (a few mL to a few tens of mL), or `0 mL`";
    DropFactor = "drop-factor", Error,
        "an administration set's `drop_factor` outside 10 to 60 gtt/mL",
        "give the drop factor printed on the set: `10`, `15`, `20` or `60 gtt/mL`";
    InfusionIngredients = "infusion-ingredients", Error,
        "an infusion that is not one active and the bag's diluent (`qs`, role `vehicle`)",
        "keep one active, drawn from its `stock`, and the diluent; make one bag per drug";
    InfusionStock = "infusion-stock", Error,
        "an infusion's active without a `stock`: the drug is drawn from a vial of known strength",
        "add `stock = \"50 mg/mL\"` (the vial's labelled strength) and `vial`";
    SterileStorage = "sterile-storage", Error,
        "a storage USP <797> gives no beyond-use date for (a freezer for immediate use or category 1)",
        "store at room temperature or in the refrigerator";
    UnexpectedTable = "unexpected-table", Error,
        "a table the dosage form does not use (`[mold]` on a liquid, `[device]` on a troche)",
        "remove the table";
    ConflictingKeys = "conflicting-keys", Error,
        "two keys that exclude each other (`volume` and `per_ml`; `displacement_factor` and `density_factor`)",
        "keep one of them";
    MissingDevice = "missing-device", Error,
        "a nasal spray or sublingual drops without `[device]`",
        "add `[device]` with `dose` and `volume` or `per_ml`";
    MissingMold = "missing-mold", Error,
        "a troche or RDT without `[mold]`",
        "add `[mold]` with the calibrated `blank_weight`";
    BudDays = "bud-days", Error,
        "`bud_days` outside 1 to 180, or without `bud_reference`",
        "give 1 to 180 days and the stability data in `bud_reference`";
    AqueousNonpreservedStorage = "aqueous-nonpreserved-storage", Error,
        "an aqueous preparation without a preservative that is not refrigerated (USP <795>)",
        "write `storage = \"refrigerator\"`, or add a preservative and `preserved = true`";
    QsCount = "qs-count", Error,
        "no ingredient, or more than one, has `amount = \"qs\"`",
        "make exactly one vehicle or base the `qs`";
    QsActive = "qs-active", Error,
        "an active is the qs ingredient",
        "state the active's strength; make the vehicle or base the `qs`";
    DuplicateId = "duplicate-id", Error,
        "two ingredients of a formula have one id",
        "give each ingredient its own id";
    MissingBatchQuantity = "missing-batch-quantity", Error,
        "a fixed amount (`\"4 mL\"`) without `[batch].quantity` to scale with",
        "add `[batch]` with the `quantity` the amount is written for";
    NoRoomForQs = "no-room-for-qs", Error,
        "mass/mass (creams) or `%v/v` (liquids) fractions that sum to 100% or more",
        "lower the strengths: the fractions must leave room for the qs";
    AliquotDiluent = "aliquot-diluent", Error,
        "`[aliquot] diluent` names no ingredient, an active, one measured by volume, or is on a liquid",
        "name a powder weighed by mass, or remove `[aliquot]`";
    UnknownPlaceholder = "unknown-placeholder", Error,
        "a `{…}` in a text that is not a placeholder (or lacks or has a stray ingredient id)",
        "use a placeholder of docs/calculations.md, or write `{{` for a brace";
    PlaceholderId = "placeholder-id", Error,
        "a placeholder names an ingredient the formula does not have",
        "use an ingredient id of the formula";
    PlaceholderForm = "placeholder-form", Error,
        "a placeholder the dosage form has no value for (`{cavities}` in a cream)",
        "remove it, or use one the form has";
    UnclosedBrace = "unclosed-brace", Error,
        "a `{` without its `}`",
        "close the placeholder, or write `{{` for a brace";
    UnmatchedBrace = "unmatched-brace", Error,
        "a `}` that closes nothing",
        "write `}}` for a brace";
    IdMismatch = "id-mismatch", Error,
        "in a formulary folder, the id is not the file name's stem",
        "rename the file to `<id>.toml`, or change the id";
    DuplicateFormulaId = "duplicate-formula-id", Error,
        "two files checked together state one id; reported at the second in path order",
        "give each formula its own id and file name";
    NoFormulaFiles = "no-formula-files", Error,
        "a path given to `validate` holds no `*.toml` file (an empty folder, a mistyped path)",
        "check the path";
    QsNotPositive = "qs-not-positive", Error,
        "the reference batch's qs comes out zero or negative: the other ingredients exceed the batch",
        "lower the strengths or fixed amounts; the message says by how much";
    AboveSolubility = "above-solubility", Error,
        "an active's concentration as weighed is above its stated `solubility`",
        "lower the strength, or confirm a higher solubility";
    Calculation = "calculation", Error,
        "the reference batch, or a figure of a batch file's completed record, cannot be computed (an overflow, a result too small to hold, a volume that does not fit)",
        "check the amounts and factors the message names";
    UnknownFormula = "unknown-formula", Error,
        "a batch file's `formula` cannot be found or read (an id the formulary lacks, a path with no file)",
        "give the formula's id (`ketacalc list`), or its file's path relative to the batch file";
    FormulaHasErrors = "formula-has-errors", Error,
        "the formula a batch file names has errors of its own",
        "run `ketacalc validate` on the formula and fix it first";
    UnknownIngredient = "unknown-ingredient", Error,
        "a batch file names an ingredient (in `[lots]`, `[actual]`, `[controlled]` or an option) that its formula does not have",
        "use the id suggested, or one of the formula's ingredients";
    UnknownCheck = "unknown-check", Error,
        "a batch file gives a result for a QC check its formula does not have",
        "give each result under its check's number on the worksheet";
    NotControlled = "not-controlled", Error,
        "a batch file keeps C-III stock readings for an ingredient without a DEA schedule",
        "keep `[controlled.ID]` only for the formula's scheduled ingredients";
    BadOption = "bad-option", Error,
        "a batch file's option has a value the batch refuses, as it would refuse the flag's",
        "give a value the message allows (docs/commands.md lists each option)";
    ImpossibleBatch = "impossible-batch", Error,
        "the batch a batch file asks for cannot be made (over capacity, above a solubility, an expired lot)",
        "change the option the message names (the quantity, a strength, a lot)";
    WrongReading = "wrong-reading", Error,
        "a batch file's reading is not of the kind its ingredient is measured in: a volume for one weighed, a mass of a liquid without a density, one figure for one read through an aliquot or a dilution, steps for one read as one figure",
        "give what the worksheet asks for: a mass, a volume (or its net mass with the formula's `density` or `stock_density`), or the steps `{ weigh, total, take }` or `{ stock, to, take }`";
    AbsurdReading = "absurd-reading", Error,
        "a reading, yield or final weight is zero, or a factor of ten or more from what the worksheet asked for: a slip of the unit or of the decimal point",
        "give the figure read; leave a reading out until it is read";
    StockAfterAboveBefore = "stock-after-above-before", Error,
        "a C-III stock reading after the withdrawal is above the one before it",
        "give `stock_before` and `stock_after` in that order, on the same balance or syringe";
    NearSolubility = "near-solubility", Warning,
        "a concentration at or above 75% of its `solubility`",
        "check for crystals, especially when refrigerated; lower the strength if needed";
    AssumedOneToOne = "assumed-one-to-one", Warning,
        "a molded-form ingredient without a displacement factor: one-to-one is assumed",
        "add `displacement_factor` (or `density_factor`) from the vendor or a calibration, `\"1\"` to confirm";
    DisplacementFactorRange = "displacement-factor-range", Warning,
        "a `displacement_factor` outside 0.3 to 1.5",
        "check it is grams of base per gram, not a density factor (its inverse)";
    UnscheduledKetamine = "unscheduled-ketamine", Warning,
        "an active whose id starts with `ketamine` or `esketamine` has no `schedule`",
        "add `schedule = \"CIII\"`";
    LiteralBatchQuantity = "literal-batch-quantity", Warning,
        "a step or QC check writes out a quantity of the batch's own kind, which would be wrong at another quantity",
        "use the placeholder the help line suggests (`{quantity}`, `{qs}`, `{weigh:ID}` …)";
    FillEachText = "fill-each-text", Warning,
        "a text says `{fill} each` or `{fill} per bottle`, or counts `{containers}` beside a fill per bottle: true only when every container is full",
        "write `{container_plan}` and `{dose_plan}`, which tell a part-filled last container as it is";
    StorageText = "storage-text", Warning,
        "a labeling warning states another storage than the formula's `storage`",
        "make the warning and `storage` say the same: the label prints one storage statement";
    FixedAmountActive = "fixed-amount-active", Warning,
        "a troche or RDT active written as a fixed mass for the whole batch (`50 mg`), not per unit",
        "write the per-unit amount, `50 mg/troche`, unless the whole batch holds it";
    PreservedWithoutPreservative = "preserved-without-preservative", Warning,
        "`preserved = true` but no ingredient has `role = \"preservative\"`; the 35-day BUD rests on that claim",
        "add the preservative with `role = \"preservative\"`, or write `preserved = false`";
    StrengthAfterDraw = "strength-after-draw", Warning,
        "a strength right after `{weigh:ID}` of a stock ingredient (`draw {weigh:ketamine} of ketamine 50 mg/mL`): what is drawn may be the stock's dilution",
        "remove the strength: `{weigh:ID}` prints what is drawn, the stock or its dilution, with its strength";
    BelowMinimumWeight = "below-minimum-weight", BatchWarning,
        "an amount to weigh below the balance's minimum weight: an aliquot plan is given",
        "weigh by the aliquot plan, or on a more sensitive balance (`--readability`, `--min-weight`)";
    BelowMinimumVolume = "below-minimum-volume", BatchWarning,
        "a volume to measure (not an active, not a stock) below the 0.2 mL a syringe measures accurately",
        "weigh it instead (give it a `density` and no `measure`), or use a stock solution";
    RoundingDeviation = "rounding-deviation", BatchWarning,
        "an active measured by volume whose syringe's rounding puts it more than 2% from the amount required",
        "measure it with two syringes (a full smaller one and the rest), or use a weaker stock, or weigh it";
    FluidLoad = "fluid-load", BatchWarning,
        "an infusion whose volume to infuse is above 10 mL per kg of the patient's weight",
        "check the patient's fluid allowance; use a smaller bag (`--bag`)";
    BagExceedsDose = "bag-exceeds-dose", BatchWarning,
        "a fixed-concentration bag that holds more than 1.1 times the dose: only the volume to infuse may be given",
        "set the pump to the volume to infuse (VTBI) on the label; waste the rest with a witness";
    BudBeforeInfusionEnds = "bud-before-infusion-ends", BatchWarning,
        "an infusion started at compounding would end after its beyond-use time",
        "start it by the time on the label, shorten it, or use components that expire later";
    LastContainerNoDose = "last-container-no-dose", BatchWarning,
        "the part-filled last container delivers no whole dose after priming and the residual",
        "make a quantity that fills whole containers, or one whose last container holds a dose";
    ReferenceBatchText = "reference-batch-text", BatchWarning,
        "a step or QC check written for the reference batch, printed at another quantity or strength",
        "check that line before use; use placeholders in the formula";
    DoseCapped = "dose-capped", BatchWarning,
        "an infusion's dose by the formula's own rule is above its ceiling (the formula's `max`, or `--max`): the ceiling is given, with a `DOSE CAPPED` banner",
        "check the order; a larger dose needs the prescriber's order and `--max M --authorized-by NAME`";
    UnusualWeight = "unusual-weight", BatchWarning,
        "a patient's weight under 2 kg or over 250 kg",
        "check that the weight is this patient's, in the right unit (`kg` or `lb`)";
    AmbiguousTime = "ambiguous-time", BatchWarning,
        "an infusion's compounding time that occurs twice that day (the clocks go back): the earlier is used",
        "check the time on the clock; the beyond-use time counts from the earlier of the two";
}

impl Code {
    /// The code named `name` (`toml-float`).
    pub fn find(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

/// A code equals its kebab-case name (tests compare output with it).
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_described() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        for c in Code::ALL {
            let name = c.as_str();
            assert!(
                name.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
                "{name}"
            );
            assert!(!c.meaning().is_empty() && !c.fix().is_empty(), "{name}");
            assert!(
                !c.meaning().contains('|') && !c.fix().contains('|'),
                "{name}: a `|` would split the table of codes"
            );
        }
        assert_eq!(Code::find("toml-float").map(Code::kind), Some(Kind::Error));
        assert!(Code::find("no-such-code").is_none());
    }
}
