"""The `kit` command: parses options and calls the library; nothing else lives here.

It speaks French to its users (help, progress, summaries); exit codes: 0 success;
1 bad input (a lesson, a document, an output); 2 the command line or a roster could
not be read; 3 an internal error (a bug: please report it); 130 interrupted (Ctrl-C);
143 stopped by SIGTERM, handled as Ctrl-C.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import sys
from pathlib import Path

INTERNAL_ERROR = 3
INTERRUPTED, TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM, as shells report them


class Terminated(KeyboardInterrupt):
    """Raised in the kit's process when it receives SIGTERM: handled exactly as Ctrl-C."""


def _terminate(signum, frame):
    raise Terminated()


# The kit uses no pydantic plugin; looking for one reads every installed package's
# metadata when the first model is made (~60 ms of every start).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

try:  # Ctrl-C while the kit is still loading (ReportLab takes a moment): no traceback
    import click

    from . import api
    from .commandline import (Choice, ChoiceList, Count, DefaultGroup, DocumentList, DocumentName, Group,
                              Level, Whole, usage_in_french)
    from .documents import EDITIONS, FORMATS, PAPERS, names_help
    from .errors import ChecksFailed, KitError
    from .messages import say
    from .schema import LEVELS
    from .yamlfile import display_name
except KeyboardInterrupt:
    sys.stderr.write("interrompu\n")
    raise SystemExit(INTERRUPTED) from None

FAILED_ROWS_SHOWN = 20
EDITIONS_HELP = "standard, dys (lecteurs dys) ou large-print (gros caractères)"


lessons_option = click.option(
    "--lessons", "lesson_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
    metavar="DOSSIER",
    help="Un dossier de vos propres séances (à répéter ; aussi KIT_LESSONS_PATH). "
         "Ses séances remplacent celles du kit qui ont le même id.")
contacts_option = click.option(
    "--contacts", type=click.Path(dir_okay=False, path_type=Path), metavar="FICHIER",
    help="Un fichier YAML de contacts locaux (référent, infirmerie...), imprimés après le 3018.")
theme_option = click.option(
    "--theme", type=click.Path(file_okay=False, path_type=Path), metavar="DOSSIER",
    help="Un dossier avec votre styles.yaml (couleurs, tailles), logo.png et templates/html/ "
         "(aussi KIT_THEME) ; ceux du kit servent pour le reste.")
def editions_option(default: str):
    return click.option("--variant", "--edition", "editions", multiple=True,
                        type=Choice(EDITIONS),
                        help=f"Les éditions, à répéter : {EDITIONS_HELP} ; par défaut {default}.")
edition_option = click.option(
    "--variant", "--edition", "edition", type=Choice(EDITIONS), default="standard",
    help=f"L'édition : {EDITIONS_HELP} ; par défaut standard.")
document_option = click.option(
    "--doc", "document", type=DocumentName(), default="worksheet",
    help=f"Le document, en anglais ou en français : {names_help()} ; par défaut worksheet.")
paper_option = click.option("--paper", type=Choice(PAPERS), default="a4",
                            help="Le format du papier : a4 (par défaut) ou a3.")
language_option = click.option(
    "--language", "--langue", "language", metavar="LANGUE",
    help="La lettre aux familles (en français puis dans cette langue) ou l'affiche dans une "
         "langue des familles : en, es, pt, ar, tr, ro, uk ; fr-facile : en français facile à "
         "lire (aussi la fiche élève du cycle 3).")
languages_option = click.option(
    "--language", "--langue", "languages", multiple=True, metavar="LANGUE",
    help="Aussi les lettres aux familles (en français puis dans cette langue) dans une langue "
         "des familles, à répéter : en, es, pt, ar, tr, ro, uk, ou fr-facile.")
workers_option = click.option(
    "--workers", type=Count(), metavar="N",
    help="Le nombre de processus (par défaut : le nombre de processeurs).")


SESSION_FIELDS = (  # option, field of kit.order.SessionDetails, help
    ("--school", "school", "L'établissement, imprimé sur les documents."),
    ("--city", "city", "La ville."),
    ("--class", "class", "La classe (5e B)."),
    ("--date", "date", "La date de la séance : 09/11/2027 ou 2027-11-09."),
    ("--facilitator", "facilitator", "Qui anime la séance."),
    ("--referent", "referent", "Le référent harcèlement de l'établissement."),
    ("--room", "room", "La salle (sur le guide)."),
    ("--time", "time", "L'horaire (sur le guide et la lettre aux familles)."),
)


def session_options(command):
    """The session's details, as `kit batch` reads them from a roster's row."""
    for option, name, help_text in reversed(SESSION_FIELDS):
        command = click.option(option, f"session_{name}", metavar="TEXTE", help=help_text)(command)
    return command


def _session(values: dict, **order) -> dict:
    """The options as the fields of a kit.order model (the web form's too)."""
    details = {name: values.pop(f"session_{name}") for _, name, _ in SESSION_FIELDS}
    return {"session": details, **order}


def _parsed(model, data: dict):
    from .errors import InputError
    from .order import parse
    try:
        return parse(model, data)
    except InputError as error:
        raise click.UsageError(error.format_message()) from None


class _WarningHandler(logging.Handler):
    def emit(self, record):
        prefix = say("problem.warning") + " " if record.levelno >= logging.WARNING else ""
        click.echo(prefix + record.getMessage(), err=True)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Affiche chaque fichier écrit.")
@click.version_option(package_name="kit3018", message="%(prog)s, version %(version)s",
                      help="Affiche la version du kit et quitte.")
def cli(verbose: bool) -> None:
    """Séances imprimables sur les usages numériques responsables, avec le 3018 sur
    chaque page. `kit COMMANDE --help` détaille une commande."""
    logger = logging.getLogger("kit")
    logger.handlers[:] = [_WarningHandler()]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


@cli.command("list")
@lessons_option
@click.option("--format", "fmt", type=Choice(["table", "markdown", "json"]), default="table",
              help="table (par défaut), markdown (le tableau du README) ou json.")
def list_lessons(lesson_dirs, fmt) -> None:
    """Les séances : id, niveau, durée, titre (et d'où vient chacune)."""
    rows = api.lesson_rows(api.load_available(lesson_dirs))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        click.echo(api.markdown_table(rows))
    else:
        for r in rows:
            click.echo(f"{r['id']:<40} {r['level']:<8} {r['duration']:>4} min  {r['title']}"
                       f"{'' if r['bundled'] else '  [' + r['source'] + ']'}")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[CHEMIN]...")
@lessons_option
@contacts_option
@click.option("--format", "fmt", type=Choice(["text", "json"]), default="text",
              help="text (par défaut : une ligne par problème) ou json.")
@click.option("--max-source-age", type=Count(), default=api.SOURCE_AGE_YEARS,
              metavar="ANS", help="Avertit quand toutes les sources d'une séance ont plus de "
                                  f"ANS ans (par défaut : {api.SOURCE_AGE_YEARS}).")
@click.option("--strict", is_flag=True,
              help="Liste aussi les traductions « à relire par un locuteur », et échoue (code 1) "
                   "sur un avertissement comme sur une erreur.")
def check(paths, lesson_dirs, contacts, fmt, max_source_age, strict) -> None:
    """Vérifie des fichiers de séance (par défaut : tous les dossiers de séances), leurs
    traductions ou des tableaux de séances (.csv, .xlsx) ; une ligne par problème,
    fichier:ligne:colonne."""
    problems = api.check(paths, lesson_dirs, contacts, max_source_age, strict=strict)
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    notes = [] if paths or fmt == "json" else api.checked_folders_note(lesson_dirs)
    if fmt == "text":
        for line in [*map(str, problems), *notes]:
            click.echo(line, err=True)
    errors = sum(p.severity == "error" for p in problems)
    tally = say("commands.tally", errors=errors, warnings=len(problems) - errors)
    if errors or (strict and problems):
        raise ChecksFailed(tally)
    if fmt == "text":
        valid = say("commands.checked_valid" if len(notes) > 1 else "commands.all_valid")
        click.echo(tally if problems else valid, err=True)


@cli.command()
@click.argument("lesson", metavar="SÉANCE")
@document_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FICHIER",
              help="Le fichier à écrire (.pdf, .docx ou .pptx est ajouté s'il manque ; par défaut "
                   "<séance>-<document>.pdf dans le dossier courant).")
@click.option("--format", "fmt", type=Choice(FORMATS), default="pdf",
              help="pdf (par défaut), ou une copie à modifier : pptx pour le diaporama (avec les "
                   "notes de l'animateur), docx pour les autres documents.")
@edition_option
@paper_option
@click.option("--force", is_flag=True, help="Remplace un fichier existant que le kit n'a pas fait.")
@session_options
@click.option("--pupils", type=Count(), metavar="N", help="Le nombre d'élèves (cases de la charte).")
@language_option
@lessons_option
@contacts_option
@theme_option
def render(lesson, document, output, fmt, edition, paper, force, lesson_dirs, contacts, theme,
           pupils, language, **details) -> None:
    """Fait un document d'une séance (son id, ou le chemin d'un fichier de séance) en PDF,
    ou en copie à modifier (--format docx ou pptx), pour une classe avec --school,
    --class, --date... (sans tableau de séances)."""
    from .order import SessionDetails
    session = _parsed(SessionDetails, _session(details)["session"]).session(students=pupils)
    path = api.render(lesson, document, output, edition=edition, paper=paper, force=force,
                      lesson_dirs=lesson_dirs, contacts=contacts, theme=theme,
                      session=None if session.is_blank() else session, fmt=fmt,
                      language=language)
    click.echo(display_name(path))


@cli.command()
@click.argument("lessons", nargs=-1, metavar="[SÉANCE]...")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"),
              metavar="DOSSIER", help="Le dossier où écrire (par défaut : dist).")
@click.option("--doc", "documents", multiple=True, type=DocumentName(),
              help=f"Seulement ces documents (à répéter ; par défaut tous) : {names_help()}.")
@editions_option("les trois")
@click.option("--format", "formats", type=ChoiceList(FORMATS), default="pdf",
              help="Les formats, séparés par des virgules : pdf (toujours fait, avec les pages "
                   "web), pptx (le diaporama à modifier), docx (les autres documents à "
                   "modifier) ; par exemple pdf,pptx,docx.")
@paper_option
@workers_option
@click.option("--force", is_flag=True,
              help="Refait chaque fichier, même ceux qui n'ont pas changé depuis la dernière fois.")
@languages_option
@lessons_option
@contacts_option
@theme_option
def build(lessons, out, documents, editions, formats, paper, workers, force, languages,
          lesson_dirs, contacts, theme) -> None:
    """Chaque séance (ou seulement les SÉANCEs nommées) x chaque document qu'elle offre x
    chaque édition, dans DOSSIER, avec index.html à ouvrir dans un navigateur. Ne refait
    que ce qui a changé depuis la dernière fois (--force : tout)."""
    built = api.build(out, lessons=lessons, documents=documents, editions=editions or None,
                      paper=paper, lesson_dirs=lesson_dirs, contacts=contacts, theme=theme,
                      workers=workers, progress="auto", force=force,
                      formats=tuple(dict.fromkeys(("pdf", *formats))), languages=languages)
    click.echo(api.build_summary(built, out), err=True)


@cli.command()
@click.argument("roster", type=click.Path(dir_okay=False, path_type=Path), metavar="TABLEAU")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("batch-out"),
              metavar="DOSSIER", help="Où vont les dossiers de séance, report.csv et le "
                                      "manifeste (par défaut : batch-out).")
@click.option("--docs", type=DocumentList(), default="guide,worksheet,family-letter",
              help="Les documents de chaque dossier, séparés par des virgules, en anglais ou en "
                   "français (par défaut : guide,worksheet,family-letter).")
@editions_option("standard")
@workers_option
@click.option("--scheduler", metavar="ADRESSE", help="Calcule sur une grappe Dask (tcp://hôte:8786).")
@click.option("--force", is_flag=True, help="Refait chaque dossier, même ceux qui n'ont pas changé.")
@click.option("--quiet", is_flag=True, help="Sans barre de progression ni bilan.")
@click.option("--merge", type=Choice(["school"]),
              help="school : aussi un PDF par établissement, à imprimer (dans impression/).")
@languages_option
@lessons_option
@contacts_option
@theme_option
def batch(roster, out, docs, editions, workers, scheduler, force, quiet, merge, languages,
          lesson_dirs, contacts, theme) -> None:
    """Un dossier de séance par ligne d'un tableau (.csv ou .xlsx) ; code 1 si une ligne a
    échoué (les autres sont faites), 2 si le tableau ne peut pas être lu."""
    from . import batch as district  # loaded only when used: openpyxl, pypdf, tqdm
    summary = district.run(roster, out, documents=docs, editions=editions or None,
                           workers=workers, scheduler=scheduler, force=force,
                           progress="none" if quiet else "auto", merge=merge,
                           lesson_dirs=lesson_dirs, contacts=contacts, theme=theme,
                           languages=api.language_codes(languages))
    if not quiet:
        for line in summary.failure_lines(FAILED_ROWS_SHOWN):
            click.echo(line, err=True)
    if summary.failed:
        raise district.RowsFailed(summary, quiet)
    if not quiet:
        click.echo(str(summary), err=True)


# --- Customising lessons: show, new, preview (kit/authoring.py, kit/preview.py) ---

@cli.command()
@click.argument("lesson", metavar="SÉANCE")
@click.option("--filled", is_flag=True,
              help="Avec le 3018, les contacts et la séance remplis, comme à l'impression "
                   "(un détail de séance inconnu s'imprime comme une ligne à remplir).")
@lessons_option
@contacts_option
def show(lesson, filled, lesson_dirs, contacts) -> None:
    """Affiche une séance telle que le kit la voit (après `extends`), en YAML."""
    from . import authoring  # only the commands that write YAML load it
    if filled:
        found, profile = api.prepare(lesson, lesson_dirs, contacts)
        click.echo(authoring.filled_lesson_yaml(found, profile), nl=False)
    else:
        click.echo(authoring.lesson_yaml(api.load_available(lesson_dirs).get(lesson)), nl=False)


@cli.command()
@click.argument("lesson_id", metavar="ID")
@click.option("--level", type=Level(),
              help=f"Le niveau : {', '.join(LEVELS)} (les accents sont acceptés) ; "
                   "obligatoire sans --from.")
@click.option("--from", "base", metavar="SÉANCE", help="Écrit un fichier `extends:` de cette séance.")
@click.option("--lessons", "folder", type=click.Path(file_okay=False, path_type=Path),
              metavar="DOSSIER",
              help="Le dossier où écrire ID.yaml (par défaut : ici) ; --from y cherche aussi.")
def new(lesson_id, level, base, folder) -> None:
    """Écrit un fichier de séance ID.yaml commenté et valide, à compléter (jamais par-dessus
    un fichier existant)."""
    from . import authoring
    if base is None and level is None:
        raise click.UsageError(say("commands.new_needs_level"))
    search = [folder] if folder and folder.is_dir() else []
    base_lesson = authoring.base_for_new(base, search) if base else None
    path = authoring.new_lesson(lesson_id, folder or Path("."), level=level, base=base_lesson)
    click.echo(display_name(path))
    if folder is None:
        click.echo(say("commands.new_written", file=display_name(path)), err=True)


@cli.command()
@click.argument("lesson", metavar="SÉANCE")
@document_option
@click.option("--page", type=Count(), metavar="N",
              help="Seulement cette page (à partir de 1).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("preview"),
              metavar="DOSSIER", help="Le dossier des images (par défaut : preview).")
@edition_option
@lessons_option
@contacts_option
@theme_option
def preview(lesson, document, page, out, edition, lesson_dirs, contacts, theme) -> None:
    """Écrit les pages d'un document en images PNG dans DOSSIER et affiche leurs chemins."""
    from .preview import preview as write_previews  # pypdfium2: only for pictures
    for path in write_previews(lesson, document, out, page=page, edition=edition,
                               lesson_dirs=lesson_dirs, contacts=contacts, theme=theme):
        click.echo(display_name(path))


# --- A whole session, and the web app (kit/pack.py, kit/web/) ---

@cli.command()
@click.argument("lesson", metavar="SÉANCE")
@session_options
@click.option("--pupils", type=Count(), required=True, metavar="N",
              help="Le nombre d'élèves : une fiche, un quiz, une lettre... par élève.")
@click.option("--groups", type=Count(), metavar="N",
              help="Le nombre de groupes : un jeu de cartes scénarios par groupe "
                   "(par défaut un pour 5 élèves).")
@click.option("--dys", type=Whole(), default=0, metavar="N",
              help="Combien d'élèves ont l'édition dys (les autres : standard).")
@click.option("--large-print", type=Whole(), default=0, metavar="N",
              help="Combien d'élèves ont l'édition en gros caractères.")
@paper_option
@click.option("--out", type=click.Path(path_type=Path), metavar="FICHIER.pdf|FICHIER.zip|DOSSIER",
              help="Le PDF à imprimer (par défaut seance-<séance>-<classe>.pdf ici), un zip des "
                   "documents séparés, ou un dossier avec les deux et le récapitulatif.")
@click.option("--editable", is_flag=True,
              help="Ajoute au zip ou au dossier les copies à modifier de chaque document "
                   "(diaporama en .pptx, les autres en .docx).")
@click.option("--force", is_flag=True, help="Remplace un fichier existant que le kit n'a pas fait.")
@click.option("--language", "--langue", "languages", multiple=True, metavar="LANGUE[:N]",
              help="Aussi la lettre aux familles en français puis dans cette langue (en, es, pt, "
                   "ar, tr, ro, uk, fr-facile), pour N familles (1 par défaut) ; à répéter.")
@click.option("--results-sheet", is_flag=True,
              help="Ajoute la fiche de résultats du quiz pour l'intervenant (des nombres, "
                   "aucun nom), à reporter dans `kit results template`.")
@lessons_option
@contacts_option
@theme_option
def pack(lesson, pupils, groups, dys, large_print, paper, out, editable, force, languages,
         results_sheet, lesson_dirs, contacts, theme, **details) -> None:
    """La séance entière à imprimer : chaque document en autant d'exemplaires que
    d'élèves ou de groupes, chacun sur une page de droite (recto verso), en un PDF."""
    from .order import PackOrder
    from .pack import write_pack
    editions = {k: v for k, v in (("dys", dys), ("large-print", large_print)) if v}
    order = _parsed(PackOrder, _session(details, lesson="-", pupils=pupils, groups=groups,
                                        editions=editions, paper=paper))
    if editable and (out is None or out.suffix.lower() == ".pdf"):
        raise click.UsageError(say("commands.editable_needs_zip"))
    made = api.pack(lesson, order, lesson_dirs=lesson_dirs, contacts=contacts, theme=theme,
                    editable=editable, languages=languages,
                    results_sheet=results_sheet)
    for path in write_pack(made, out, force=force):
        click.echo(display_name(path))
    for line in made.summary():
        click.echo(line, err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", metavar="ADRESSE",
              help="L'adresse où écouter (par défaut 127.0.0.1 : cette machine seulement) ; "
                   "une autre demande un mot de passe.")
@click.option("--port", type=Count(), default=8018, metavar="PORT",
              help="Le port (par défaut 8018).")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), metavar="DOSSIER",
              help="Où garder l'historique des séances préparées (par défaut : le dossier de "
                   "données de l'utilisateur).")
@click.option("--password-file", type=click.Path(dir_okay=False, path_type=Path),
              metavar="FICHIER", help="Le mot de passe de l'application (aussi KIT_PASSWORD).")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="NOM",
              help="Un nom d'hôte de plus par lequel on ouvre l'application (à répéter).")
@click.option("--workers", type=Count(), metavar="N",
              help="Les processus qui dessinent les PDF (par défaut : 2).")
@click.option("--jobs", type=Count(), metavar="N",
              help="Les lots (districts) qui tournent en même temps, les autres attendent "
                   "(par défaut : 1).")
@lessons_option
@contacts_option
@theme_option
def serve(host, port, data, password_file, allowed_hosts, workers, jobs, lesson_dirs, contacts,
          theme) -> None:
    """L'application web : un navigateur suffit pour préparer et imprimer une séance."""
    from .web.serve import serve as run_server  # the web stack loads only here
    run_server(host=host, port=port, data=data, password_file=password_file,
               allowed_hosts=allowed_hosts, workers=workers, jobs=jobs, lesson_dirs=lesson_dirs,
               contacts=contacts, theme=theme)


# --- Quiz results: the sheet to fill in, then class and district reports (kit/results/) ---

@cli.group(cls=DefaultGroup, default="report")
def results() -> None:
    """Résultats des quiz avant / après : `kit results template` écrit le tableau à remplir,
    `kit results FICHIER...` en fait les rapports de classe ou du district (aucun nom
    d'élève, seulement des nombres ; rien ne quitte cette machine)."""


@results.command("template")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="DOSSIER_DE_LOT|report.csv|SÉANCE.pdf...")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              metavar="DOSSIER", help="Où écrire resultats-a-remplir.xlsx et .csv (par défaut : ici).")
@click.option("--force", is_flag=True, help="Remplace un tableau déjà écrit (peut-être rempli).")
@lessons_option
def results_template(sources, out, force, lesson_dirs) -> None:
    """Le tableau à remplir (.xlsx et .csv) : une ligne par classe et par question, avec
    l'établissement, la classe, la date et la séance d'un lot (son dossier ou son
    report.csv) ou de séances faites par kit pack (seance-....pdf)."""
    for path in api.results_template(sources, out, lesson_dirs=lesson_dirs, force=force):
        click.echo(display_name(path))


@results.command("report", hidden=True)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path),
                metavar="FICHIER...")
@click.option("--by", type=Choice(["class", "district"]),
              help="class : un PDF par classe ; district : le bilan (PDF, HTML, CSV, JSON) ; "
                   "par défaut class pour une seule classe, district sinon.")
@click.option("--batch-report", type=click.Path(path_type=Path), metavar="report.csv",
              help="Le report.csv du lot (ou son dossier) : le bilan montre les classes "
                   "prévues sans résultats.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("resultats"),
              metavar="DOSSIER", help="Où écrire les rapports (par défaut : resultats).")
@lessons_option
@theme_option
def results_report(files, by, batch_report, out, lesson_dirs, theme) -> None:
    """Les rapports des tableaux de résultats remplis (.csv ou .xlsx) ; code 1 si une ligne
    est en erreur (les autres sont comptées)."""
    from .results.run import NothingCounted
    try:
        summary = api.results(files, out, by=by, batch_report=batch_report,
                              lesson_dirs=lesson_dirs, theme=theme)
    except NothingCounted as error:
        _problem_lines(error.summary.problems)
        raise
    _problem_lines(summary.problems)
    for path in summary.written:
        click.echo(display_name(path))
    tally = say("results.counted", rows=summary.rows, classes=summary.classes,
                bad=len(summary.problems))
    if summary.problems:
        raise ChecksFailed(tally)
    click.echo(tally, err=True)


def _problem_lines(problems) -> None:
    for problem in problems[:FAILED_ROWS_SHOWN]:
        click.echo(str(problem), err=True)
    if len(problems) > FAILED_ROWS_SHOWN:
        click.echo(say("results.more_problems", count=len(problems) - FAILED_ROWS_SHOWN), err=True)


def main(argv=None) -> int:
    """Entry point: KitErrors become their message and exit code; nothing shows a traceback.
    SIGTERM is handled as Ctrl-C: workers stopped, finished files kept, exit 143."""
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _run(argv)
    except KeyboardInterrupt as interrupt:  # between two steps, outside click
        return _interrupted(interrupt)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupted(interrupt: BaseException | None) -> int:
    click.echo(say("commands.interrupted"), err=True)
    return TERMINATED if isinstance(interrupt, Terminated) else INTERRUPTED


def _run(argv) -> int:
    try:
        cli.main(args=argv, prog_name="kit", standalone_mode=False)
    except KitError as error:
        error.show()
        return error.exit_code
    except click.exceptions.Abort as abort:  # click's word for KeyboardInterrupt
        return _interrupted(abort.__context__)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.UsageError as error:  # exit 2
        command = error.ctx.command_path if error.ctx else "kit"
        click.echo(say("commands.usage", message=usage_in_french(error, cli), command=command),
                   err=True)
        return error.exit_code
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 1
    except Exception as error:  # a bug: say so in one line, keep the details for a report
        if os.environ.get("KIT_DEBUG"):
            raise
        click.echo(say("commands.internal", kind=type(error).__name__, error=error), err=True)
        return INTERNAL_ERROR
    return 0


if __name__ == "__main__":
    sys.exit(main())
