Attribute VB_Name = "CSQRibbon"
Option Explicit
' CSQ ribbon callbacks: each button passes its id to Python, where
' addin.excel.ribbon.on_button(id) does the work and shows any error as one message.
' Built into dist/csq.xlam by build/build_addin.py; do not edit inside Excel.

Sub OnButton(control As IRibbonControl)
    RunPython "import addin.excel.ribbon; addin.excel.ribbon.on_button('" & control.ID & "')"
End Sub

Sub RebindOnOpen(ByVal Wb As Workbook)
    ' Called by the add-in's WorkbookOpen handler (ThisWorkbook). A CSQ workbook written
    ' by csq (document property CSQ = "udf") holds bare CSQ_ names; re-enter its formulas
    ' once so that they bind to this add-in: addin.excel.ribbon.on_open does that.
    Dim marker As String
    If Wb Is ThisWorkbook Then Exit Sub
    On Error Resume Next
    marker = CStr(Wb.CustomDocumentProperties("CSQ").Value)
    On Error GoTo 0
    If marker <> "udf" Then Exit Sub
    RunPython "import addin.excel.ribbon; addin.excel.ribbon.on_open('" & _
        Replace(Wb.Name, "'", "\'") & "')"
End Sub
