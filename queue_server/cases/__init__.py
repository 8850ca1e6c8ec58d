"""Cases (工单): bad ratings to rectify and 办不成事 / 有诉即办 complaints, one state machine
(model.py), their desk in the hall service (desk.py) and their figures (figures.py)."""
