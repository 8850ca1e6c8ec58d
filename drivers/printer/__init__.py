"""Thermal ticket printer (ESC/POS): ticket layout, status, driver, simulator, decoder.

    printer = TicketPrinter("/dev/ttyUSB1", profile)
    result = printer.print_ticket(Ticket(...))     # PrinterError if it cannot print
    result.health                                   # ok, or warning (paper near end)
"""
from .driver import PrintResult, TicketPrinter
from .profile import PrinterProfile
from .status import PrinterError, PrinterStatus
from .ticket import Ticket, sample_ticket, ticket_bytes

__all__ = ["TicketPrinter", "PrintResult", "PrinterProfile", "PrinterError", "PrinterStatus",
           "Ticket", "sample_ticket", "ticket_bytes"]
