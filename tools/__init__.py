"""Project tools that are not part of the workbook package: the demo client's generator."""
