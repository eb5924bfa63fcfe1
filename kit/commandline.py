"""click in French: the help's own words, the usual command-line complaints, and the
parameter types a French user types (document names, levels with accents, counts).

Every complaint here is a `click.UsageError`: the command exits 2, as documented.
"""
from __future__ import annotations

import re

import click

from .documents import document_names, names_help
from .messages import say
from .schema import LEVELS, level_key
from .validation import did_you_mean


class _French:
    """Click's own words (the help option, the usage line, section titles) in French."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Affiche cette aide et quitte."
        return option

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix="Utilisation : ")


class Command(_French, click.Command):
    pass


class Group(_French, click.Group):
    command_class = Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", "COMMANDE [ARGUMENTS]...")
        super().__init__(*args, **kwargs)

    def format_commands(self, ctx, formatter):
        rows = [(name, command.get_short_help_str(formatter.width - 20))
                for name, command in self.commands.items() if not command.hidden]
        if rows:
            with formatter.section("Commandes"):
                formatter.write_dl(rows)


class DefaultGroup(Group):
    """A group whose first argument, when it names none of its commands, goes to its
    default command: `kit results FICHIER...` is `kit results report FICHIER...`."""

    def __init__(self, *args, default: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default, *args]
        return super().parse_args(ctx, args)


class DocumentName(click.ParamType):
    """A document by its English name (`worksheet`) or its French file name (`fiche-eleve`)."""

    name = "document"

    def convert(self, value, param, ctx):
        found = document_names().get(str(value).strip().lower())
        if found is None:
            raise click.UsageError(say("commands.no_document", option=_option_name(param) or "--doc",
                                       value=value, names=names_help()), ctx)
        return found


class DocumentList(DocumentName):
    """Documents separated by commas: `guide,fiche-eleve,lettre-familles`."""

    name = "documents"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        names = [v for v in str(value).split(",") if v.strip()]
        return tuple(dict.fromkeys(super(DocumentList, self).convert(v, param, ctx) for v in names))


class Choice(click.Choice):
    """click's Choice, refusing a value in French with the choices."""

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            raise click.UsageError(say("commands.bad_choice", option=_option_name(param), value=value,
                                       choices=", ".join(self.choices)), ctx) from None


class ChoiceList(Choice):
    """Choices separated by commas (`pdf,pptx,docx`), each one checked."""

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        return tuple(dict.fromkeys(super(ChoiceList, self).convert(v.strip(), param, ctx)
                                   for v in str(value).split(",") if v.strip()))


def _option_name(param) -> str:
    return param.opts[0] if param is not None and param.opts else ""


class Count(click.ParamType):
    """A whole number from `minimum` (1: a page, a number of processes, years)."""

    name = "nombre"
    minimum = 1

    def convert(self, value, param, ctx):
        if isinstance(value, int) and value >= self.minimum:
            return value
        text = str(value).strip()
        if not text.isdigit() or int(text) < self.minimum:
            raise click.UsageError(say("commands.bad_count", option=_option_name(param), value=value,
                                       minimum=self.minimum), ctx)
        return int(text)


class Whole(Count):
    """A whole number from 0: how many pupils have an adapted edition."""

    minimum = 0


class Level(click.ParamType):
    """A lesson level as a teacher types it: `collège`, `Lycée`, `cycle3`..."""

    name = "niveau"

    def convert(self, value, param, ctx):
        key = level_key(str(value))
        if key not in LEVELS:
            raise click.UsageError(say("commands.bad_level", value=value, levels=", ".join(LEVELS)), ctx)
        return key


def usage_in_french(error: click.UsageError, group: click.Group) -> str:
    """click's usual complaints, said in French; any other as click words it."""
    message = error.format_message()
    if isinstance(error, click.NoSuchOption):
        if error.possibilities:
            return say("commands.no_option_guess", option=error.option_name,
                       guesses=" ou ".join(sorted(error.possibilities)))
        return say("commands.no_option", option=error.option_name)
    if isinstance(error, click.MissingParameter) and error.param is not None:
        what = error.param.human_readable_name
        return say("commands.missing_argument" if isinstance(error.param, click.Argument)
                   else "commands.missing_value", name=what)
    if isinstance(error, click.BadOptionUsage) and "requires an argument" in message:
        return say("commands.option_needs_value", option=error.option_name)
    if match := re.match(r"No such command '(.+?)'", message):
        guess = did_you_mean(match.group(1), group.commands)
        return say("commands.no_command_guess" if guess else "commands.no_command",
                   command=match.group(1), guess=guess, commands=", ".join(group.commands))
    if match := re.match(r"Got unexpected extra arguments? \((.+)\)", message):
        return say("commands.extra_arguments", arguments=match.group(1))
    return message
